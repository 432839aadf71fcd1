"""Brand stage: a corporate design — colours, fonts, logo — in the part of Quarto's ``_brand.yml`` that
fits slides.

Where it is found: ``brand:`` in the front matter (a mapping in the same format, or the path of a brand
file; ``brand: false`` for none), else ``_brand.yml`` beside the deck, else one folder up (the project
that holds ``slides/``). Paths in a brand file are relative to that file.

What is read:

- ``color``: ``palette`` (names for colours), ``primary`` (links, the section slides' titles, the progress
  bar, the controls, the slide number, admonitions, the section bar), ``secondary`` (the mark on code
  blocks), ``foreground`` (text) and ``background``. A value is a colour (``#00305e``, ``rgb(0 48 94)``,
  a CSS name) or a palette name.
- ``typography``: ``fonts`` (families and their local files: ``source: file`` with ``files`` of ``path``,
  ``weight``, ``style``; ``source: system`` for a font the computer has), and ``base``, ``headings``,
  ``monospace`` (a family, or ``family``, ``weight``, ``style``, ``line-height``, and for headings
  ``color``). Font files are copied into the deck; nothing is ever downloaded, so ``source: google`` or
  ``bunny`` is a warning and the family is used only if the computer has it.
- ``logo``: one image, or ``images`` by name and ``small``/``medium``/``large``: the deck's corner logo
  (``logo:``) when the deck names none — ``medium``, else ``small``, else ``large``, as Quarto does.

Every pair of colours a slide shows together is checked against WCAG AA (4.5:1 for text, 3:1 for large
headings and marks); a pair below it is a warning that names both colours and the line that sets them.
The brand's style sheet (``lib/brand/brand.css``, with the fonts beside it) comes after the theme's and
mystdeck's own, so it styles every theme, on screen and in every PDF.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mystdeck import locate
from mystdeck.diagnostics import Reporter, SourceLoc
from mystdeck.model import Brand, BrandFont, Source
from mystdeck.yamltext import YamlDoc, YamlProblem, load_yaml

COLOR_ROLES = ("primary", "secondary", "foreground", "background")
TYPE_ROLES = ("base", "headings", "monospace")
FONT_TYPES = {".woff2": "woff2", ".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}
MAX_FONT_BYTES = 20 * 1024 * 1024
WEIGHTS = {
    "thin": 100, "hairline": 100, "extra-light": 200, "ultra-light": 200, "light": 300, "normal": 400,
    "regular": 400, "medium": 500, "semi-bold": 600, "demi-bold": 600, "bold": 700, "extra-bold": 800,
    "ultra-bold": 800, "black": 900, "heavy": 900,
}  # fmt: skip
TEXT, LARGE = 4.5, 3.0  # WCAG 2 AA: normal text; large text and graphical marks
# The CSS colour names (CSS Color Module Level 4) and their values.
_NAMED_TEXT = """
aliceblue=f0f8ff antiquewhite=faebd7 aqua=00ffff aquamarine=7fffd4 azure=f0ffff beige=f5f5dc
bisque=ffe4c4 black=000000 blanchedalmond=ffebcd blue=0000ff blueviolet=8a2be2 brown=a52a2a
burlywood=deb887 cadetblue=5f9ea0 chartreuse=7fff00 chocolate=d2691e coral=ff7f50 cornflowerblue=6495ed
cornsilk=fff8dc crimson=dc143c cyan=00ffff darkblue=00008b darkcyan=008b8b darkgoldenrod=b8860b
darkgray=a9a9a9 darkgreen=006400 darkgrey=a9a9a9 darkkhaki=bdb76b darkmagenta=8b008b
darkolivegreen=556b2f darkorange=ff8c00 darkorchid=9932cc darkred=8b0000 darksalmon=e9967a
darkseagreen=8fbc8f darkslateblue=483d8b darkslategray=2f4f4f darkslategrey=2f4f4f darkturquoise=00ced1
darkviolet=9400d3 deeppink=ff1493 deepskyblue=00bfff dimgray=696969 dimgrey=696969 dodgerblue=1e90ff
firebrick=b22222 floralwhite=fffaf0 forestgreen=228b22 fuchsia=ff00ff gainsboro=dcdcdc
ghostwhite=f8f8ff gold=ffd700 goldenrod=daa520 gray=808080 green=008000 greenyellow=adff2f grey=808080
honeydew=f0fff0 hotpink=ff69b4 indianred=cd5c5c indigo=4b0082 ivory=fffff0 khaki=f0e68c lavender=e6e6fa
lavenderblush=fff0f5 lawngreen=7cfc00 lemonchiffon=fffacd lightblue=add8e6 lightcoral=f08080
lightcyan=e0ffff lightgoldenrodyellow=fafad2 lightgray=d3d3d3 lightgreen=90ee90 lightgrey=d3d3d3
lightpink=ffb6c1 lightsalmon=ffa07a lightseagreen=20b2aa lightskyblue=87cefa lightslategray=778899
lightslategrey=778899 lightsteelblue=b0c4de lightyellow=ffffe0 lime=00ff00 limegreen=32cd32
linen=faf0e6 magenta=ff00ff maroon=800000 mediumaquamarine=66cdaa mediumblue=0000cd mediumorchid=ba55d3
mediumpurple=9370db mediumseagreen=3cb371 mediumslateblue=7b68ee mediumspringgreen=00fa9a
mediumturquoise=48d1cc mediumvioletred=c71585 midnightblue=191970 mintcream=f5fffa mistyrose=ffe4e1
moccasin=ffe4b5 navajowhite=ffdead navy=000080 oldlace=fdf5e6 olive=808000 olivedrab=6b8e23
orange=ffa500 orangered=ff4500 orchid=da70d6 palegoldenrod=eee8aa palegreen=98fb98 paleturquoise=afeeee
palevioletred=db7093 papayawhip=ffefd5 peachpuff=ffdab9 peru=cd853f pink=ffc0cb plum=dda0dd
powderblue=b0e0e6 purple=800080 rebeccapurple=663399 red=ff0000 rosybrown=bc8f8f royalblue=4169e1
saddlebrown=8b4513 salmon=fa8072 sandybrown=f4a460 seagreen=2e8b57 seashell=fff5ee sienna=a0522d
silver=c0c0c0 skyblue=87ceeb slateblue=6a5acd slategray=708090 slategrey=708090 snow=fffafa
springgreen=00ff7f steelblue=4682b4 tan=d2b48c teal=008080 thistle=d8bfd8 tomato=ff6347
turquoise=40e0d0 violet=ee82ee wheat=f5deb3 white=ffffff whitesmoke=f5f5f5 yellow=ffff00
yellowgreen=9acd32
"""
NAMED = dict(pair.split("=") for pair in _NAMED_TEXT.split())
_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB = re.compile(r"rgba?\(\s*([\d.]+%?)[\s,]+([\d.]+%?)[\s,]+([\d.]+%?)(?:\s*[,/]\s*[\d.]+%?)?\s*\)")
_FAMILY = re.compile(r"[^\"\\;{}<>\n]{1,100}")


@dataclass(slots=True)
class _Reader:
    """One brand: where it was written (the brand file, or the deck's front matter) and its keys' lines."""

    path: Path
    doc: YamlDoc
    offset: int  # added to the YAML's 0-based lines: 1 in a brand file, the front matter's line in a deck
    prefix: str  # "brand." in a deck's front matter
    reporter: Reporter

    def loc(self, key: str) -> SourceLoc:
        parts = key.split(".")
        while parts:
            line = self.doc.lines.get(self.prefix + ".".join(parts))
            if line is not None:
                return SourceLoc(self.path, line + self.offset)
            parts.pop()
        return SourceLoc(self.path, self.doc.lines.get(self.prefix.rstrip("."), 0) + self.offset)

    def warn(self, key: str, message: str, code: str = "bad-brand") -> None:
        self.reporter.warning(self.loc(key), message, code)


def find_brand(src: Source, reporter: Reporter) -> Brand | None:
    """The deck's brand, read and checked; None when it has none."""
    front = src.front
    if front.brand is False:
        return None
    if isinstance(front.brand, dict):
        doc = YamlDoc({"brand": front.brand}, {key: line - 2 for key, line in front.lines.items()})
        return _read(front.brand, _Reader(src.path, doc, 2, "brand.", reporter), src, src.path.parent)
    if isinstance(front.brand, str):
        path = (src.path.parent / front.brand).resolve()
        if not path.is_file():
            where = SourceLoc(src.path, front.lines.get("brand", 0))
            reporter.warning(where, f"brand file not found: {front.brand} (the deck keeps its theme's design)",
                             "bad-brand")  # fmt: skip
            return None
        return read_brand_file(path, src, reporter)
    for path in locate.brand_candidates(src.path):
        if path.is_file():
            return read_brand_file(path, src, reporter)
    return None


def read_brand_file(path: Path, src: Source, reporter: Reporter) -> Brand | None:
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        doc = load_yaml(text)
    except (OSError, UnicodeDecodeError) as exc:
        reporter.warning(SourceLoc(path), f"the brand file cannot be read ({exc}): save it as UTF-8 text", "bad-brand")
        return None
    except YamlProblem as exc:
        reporter.warning(SourceLoc(path, exc.line + 1), f"brand file: {exc.message} (the deck keeps its theme's "
                         "design)", "bad-brand")  # fmt: skip
        return None
    if doc.data is None:
        return None
    if not isinstance(doc.data, dict):
        reporter.warning(SourceLoc(path, 1), "a brand file holds 'color:', 'typography:' and 'logo:' (ignored)",
                         "bad-brand")  # fmt: skip
        return None
    return _read(doc.data, _Reader(path, doc, 1, "", reporter), src, path.parent)


def _read(data: dict[str, Any], read: _Reader, src: Source, folder: Path) -> Brand:
    brand = Brand(read.path)
    for key in data:
        if key not in ("meta", "color", "typography", "logo", "defaults"):
            read.warn(str(key), f"brand: '{key}' is not one of color, typography, logo (ignored)")
    palette = _palette(data.get("color"), read)
    given = data.get("color")
    colors: dict[str, Any] = given if isinstance(given, dict) else {}
    for role in COLOR_ROLES:
        if role in colors:
            value = _color(colors[role], palette, read, f"color.{role}")
            if value:
                brand.colors[role] = value
                brand.lines[role] = read.loc(f"color.{role}")
    for role in colors:
        if role not in (*COLOR_ROLES, "palette"):
            read.warn(f"color.{role}", f"brand colour '{role}' is not used on slides (ignored)", "brand-unused")
    _typography(data.get("typography"), read, folder, palette, brand)
    _logo(data.get("logo"), read, folder, src, brand)
    return brand


def _palette(color: Any, read: _Reader) -> dict[str, str]:
    palette: dict[str, str] = {}
    raw = color.get("palette") if isinstance(color, dict) else None
    if raw is None:
        return palette
    if not isinstance(raw, dict):
        read.warn("color.palette", "brand palette must map names to colours (ignored)")
        return palette
    for name, value in raw.items():
        parsed = _color(value, {}, read, f"color.palette.{name}")
        if parsed:
            palette[str(name)] = parsed
    return palette


def _color(value: Any, palette: dict[str, str], read: _Reader, key: str) -> str:
    """A colour as ``#rrggbb``; "" (and a warning) for what is not one."""
    text = str(value).strip() if isinstance(value, str | int) else ""
    if text in palette:
        return palette[text]
    parsed = parse_color(text)
    if parsed is None:
        read.warn(key, f"brand: '{value}' is not a colour: write #rrggbb, rgb(…), a CSS colour name or a palette name")
        return ""
    return parsed


def parse_color(text: str) -> str | None:
    text = text.strip().lower()
    if text in NAMED:
        return "#" + NAMED[text]
    match = _HEX.fullmatch(text)
    if match:
        digits = match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(char * 2 for char in digits)
        return "#" + digits[:6]
    match = _RGB.fullmatch(text)
    if match:
        channels = []
        for part in match.groups():
            number = float(part.rstrip("%")) * (2.55 if part.endswith("%") else 1)
            if number > 255:
                return None
            channels.append(round(number))
        return "#" + "".join(f"{channel:02x}" for channel in channels)
    return None


def _typography(value: Any, read: _Reader, folder: Path, palette: dict[str, str], brand: Brand) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        read.warn("typography", "brand typography must be a mapping with fonts, base, headings, monospace (ignored)")
        return
    for key in value:
        if key not in ("fonts", *TYPE_ROLES):
            read.warn(f"typography.{key}", f"brand typography '{key}' is not used on slides (ignored)", "brand-unused")
    fonts = value.get("fonts") or []
    if not isinstance(fonts, list):
        read.warn("typography.fonts", "brand fonts must be a list of families with their files (ignored)")
        fonts = []
    for index, entry in enumerate(fonts):
        _font_entry(entry, read, f"typography.fonts.{index}", folder, brand)
    for role in TYPE_ROLES:
        if role in value:
            _type_role(role, value[role], read, palette, brand)


def _font_entry(entry: Any, read: _Reader, key: str, folder: Path, brand: Brand) -> None:
    family = entry.get("family") if isinstance(entry, dict) else None
    if not isinstance(family, str) or not _FAMILY.fullmatch(family):
        read.warn(key, "a brand font needs a 'family' (a font's name) and its 'files' (ignored)")
        return
    family = family.strip()
    source = entry.get("source", "file" if entry.get("files") else "system")
    if source in ("google", "bunny"):
        read.warn(f"{key}.source", f"brand font '{family}' comes from {source}, and a deck never downloads: put its "
                  "files beside the brand file and list them with 'source: file' (used only where installed)",
                  "brand-font")  # fmt: skip
        return
    if source == "system":
        return
    files = entry.get("files") or []
    if source != "file" or not isinstance(files, list) or not files:
        read.warn(key, f"brand font '{family}': 'source' must be file (with 'files') or system (ignored)", "brand-font")
        return
    for index, item in enumerate(files):
        spec = item if isinstance(item, dict) else {"path": item}
        where = f"{key}.files.{index}"
        raw_path = spec.get("path")
        path = (folder / str(raw_path)).resolve() if isinstance(raw_path, str) else None
        if path is None or not path.is_file():
            read.warn(where, f"brand font file not found: {raw_path} (the family falls back to the next font)",
                      "brand-font")  # fmt: skip
            continue
        if path.suffix.lower() not in FONT_TYPES or path.stat().st_size > MAX_FONT_BYTES:
            read.warn(where, f"brand font file {raw_path}: not a .woff2, .woff, .ttf or .otf file under 20 MB "
                      "(left out)", "brand-font")  # fmt: skip
            continue
        weight = _weight(spec.get("weight", 400))
        if weight is None:
            read.warn(f"{where}.weight", f"brand font weight '{spec.get('weight')}' is not 100–900 or a name such as "
                      "bold; using 400", "brand-font")  # fmt: skip
            weight = 400
        brand.fonts.append(BrandFont(family, path, weight, spec.get("style", "normal") == "italic"))


def _weight(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 900:
        return value
    if isinstance(value, str):
        if value.strip().isdigit():
            return _weight(int(value))
        return WEIGHTS.get(value.strip().lower().replace(" ", "-").replace("_", "-"))
    return None


def _type_role(role: str, value: Any, read: _Reader, palette: dict[str, str], brand: Brand) -> None:
    key = f"typography.{role}"
    spec = {"family": value} if isinstance(value, str) else value
    if not isinstance(spec, dict):
        read.warn(key, f"brand typography '{role}' must be a family or a mapping with family, weight, … (ignored)")
        return
    chosen: dict[str, str] = {}
    for name, item in spec.items():
        if name == "family" and isinstance(item, str) and _FAMILY.fullmatch(item.strip()):
            chosen["family"] = item.strip()
        elif name == "weight" and _weight(item) is not None:
            chosen["weight"] = str(_weight(item))
        elif name == "style" and item in ("normal", "italic"):
            chosen["style"] = str(item)
        elif name == "line-height" and _is_number(item) and 0.5 <= item <= 3:
            chosen["line-height"] = str(item)
        elif name == "color" and role == "headings":
            color = brand.colors.get(str(item)) or _color(item, palette, read, f"{key}.color")
            if color:
                chosen["color"] = color
                brand.lines["headings"] = read.loc(f"{key}.color")
        elif name == "size":
            read.warn(f"{key}.size", f"brand typography '{role}': sizes on slides follow the theme (ignored)",
                      "brand-unused")  # fmt: skip
        else:
            read.warn(f"{key}.{name}", f"brand typography '{role}': '{name}: {item}' cannot be used (ignored)")
    brand.typography[role] = chosen


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _logo(value: Any, read: _Reader, folder: Path, src: Source, brand: Brand) -> None:
    if value is None:
        return
    images: dict[str, Any] = {}
    if isinstance(value, dict):
        listed = value.get("images")
        images = listed if isinstance(listed, dict) else {}
        chosen = next((value[size] for size in ("medium", "small", "large") if value.get(size)), None)
        where = next((f"logo.{size}" for size in ("medium", "small", "large") if value.get(size)), "logo")
    else:
        chosen, where = value, "logo"
    if isinstance(chosen, dict) and ("light" in chosen or "dark" in chosen):
        chosen = chosen.get("light") or chosen.get("dark")
    if isinstance(chosen, str) and chosen in images:
        chosen = images[chosen]
    if isinstance(chosen, dict):
        brand.logo_alt = str(chosen.get("alt", ""))
        chosen = chosen.get("path")
    if not isinstance(chosen, str) or not chosen:
        read.warn(where, "brand logo: name an image file, or images with small, medium or large (ignored)")
        return
    if re.match(r"^[a-z][a-z0-9+.-]*:", chosen, re.IGNORECASE):
        read.warn(where, f"brand logo {chosen} is not a local file, and a deck never downloads (left out)")
        return
    path = (folder / chosen).resolve()
    if not path.is_file():
        read.warn(where, f"brand logo not found: {chosen} (left out)")
        return
    brand.logo = Path(os.path.relpath(path, src.path.resolve().parent)).as_posix()


# Contrast -------------------------------------------------------------------------------------------


def luminance(color: str) -> float:
    """WCAG 2's relative luminance of ``#rrggbb``."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(color[index : index + 2]) for index in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def on_color(background: str) -> str:
    """Black or white text, whichever stands out more on ``background``."""
    return "#ffffff" if contrast("#ffffff", background) >= contrast("#000000", background) else "#000000"


@dataclass(slots=True, frozen=True)
class Colors:
    """The colours a deck shows: the brand's, else its theme's."""

    primary: str
    secondary: str
    foreground: str
    background: str
    headings: str


def deck_colors(brand: Brand, theme: dict[str, str]) -> Colors:
    colors = brand.colors
    foreground = colors.get("foreground") or theme.get("foreground", "#222222")
    primary = colors.get("primary") or theme.get("primary", "#2a76dd")
    return Colors(
        primary=primary,
        secondary=colors.get("secondary") or primary,
        foreground=foreground,
        background=colors.get("background") or theme.get("background", "#ffffff"),
        headings=brand.typography.get("headings", {}).get("color") or colors.get("foreground") or theme.get(
            "headings", foreground),
    )  # fmt: skip


def check_contrast(brand: Brand, theme: dict[str, str], reporter: Reporter) -> None:
    """Each pair of colours the slides show together, against WCAG AA: a warning names both."""
    colors = deck_colors(brand, theme)
    pairs = [
        ("foreground", colors.foreground, TEXT, "text"),
        ("primary", colors.primary, TEXT, "links and the section slides' titles"),
        ("headings", colors.headings, LARGE, "headings"),
        ("secondary", colors.secondary, LARGE, "the marks on code blocks"),
    ]
    for role, color, needed, what in pairs:
        if role not in brand.colors and role not in brand.lines:
            continue  # a pair the brand does not change is the theme's (checked with the themes)
        ratio = contrast(color, colors.background)
        if ratio < needed:
            shown = int(ratio * 10) / 10  # rounded down: 4.47 is not "4.5:1, below 4.5:1"
            reporter.warning(
                brand.lines.get(role) or brand.lines.get("background") or SourceLoc(brand.path),
                f"brand colours {role} {color} on background {colors.background}: contrast {shown}:1, below "
                f"WCAG AA's {needed:g}:1 for {what}: make {role} darker or lighter, or change the background",
                "brand-contrast",
            )


_THEME_VARIABLES = {
    "background": "--r-background-color",
    "foreground": "--r-main-color",
    "headings": "--r-heading-color",
    "primary": "--r-link-color",
}


def theme_colors(theme_css: str) -> dict[str, str]:
    """The theme's own colours (``:root`` variables of reveal.js' themes), as ``#rrggbb``."""
    found: dict[str, str] = {}
    for role, variable in _THEME_VARIABLES.items():
        match = re.search(re.escape(variable) + r"\s*:\s*([^;}]+)", theme_css)
        color = parse_color(match.group(1)) if match else None
        if color:
            found[role] = color
    return found


# The style sheet ------------------------------------------------------------------------------------


STYLE_SHEET = "lib/brand/brand.css"


def font_target(font: BrandFont, index: int) -> str:
    """Where a brand font lies in the deck: beside the brand's style sheet."""
    stem = re.sub(r"[^a-z0-9]+", "-", font.path.stem.lower()).strip("-") or "font"
    return f"lib/brand/{index:02d}-{stem}{font.path.suffix.lower()}"


def _family(name: str, fallback: str) -> str:
    return f'"{name}", {fallback}'


def brand_css(brand: Brand, theme: dict[str, str]) -> str:
    """The brand's style sheet: its fonts, reveal.js' theme variables, and the pieces mystdeck draws."""
    colors = deck_colors(brand, theme)
    rules = [
        f'@font-face{{font-family:"{font.family}";src:url({font_target(font, index).rsplit("/", 1)[1]}) '
        f'format("{FONT_TYPES[font.path.suffix.lower()]}");font-weight:{font.weight};'
        f"font-style:{'italic' if font.italic else 'normal'}}}"
        for index, font in enumerate(brand.fonts)
    ]
    variables: dict[str, str | None] = {
        "--deck-brand-primary": colors.primary,
        "--deck-brand-secondary": colors.secondary,
        "--deck-brand-on-primary": on_color(colors.primary),
    }
    if brand.colors:
        variables |= {
            "--r-background-color": colors.background,
            "--r-main-color": colors.foreground,
            "--r-heading-color": colors.headings,
            "--r-link-color": colors.primary,
            "--r-link-color-dark": colors.primary,
            "--r-link-color-hover": colors.primary,
            "--r-selection-background-color": colors.primary,
            "--r-selection-color": on_color(colors.primary),
        }
    elif "color" in brand.typography.get("headings", {}):
        variables["--r-heading-color"] = colors.headings
    base, headings, monospace = (brand.typography.get(role, {}) for role in TYPE_ROLES)
    if base.get("family"):
        variables["--r-main-font"] = _family(base["family"], "sans-serif")
    if headings.get("family") or base.get("family"):  # headings without a family of their own take the text's
        variables["--r-heading-font"] = _family(headings.get("family") or base["family"], "sans-serif")
    if monospace.get("family"):
        variables["--r-code-font"] = _family(monospace["family"], "monospace")
    if headings.get("weight"):
        variables["--r-heading-font-weight"] = headings["weight"]
    rules.append(_css_rule(":root", variables))
    rules.append(_css_rule(".reveal", {"font-weight": base.get("weight")}))
    rules.append(_css_rule(".reveal .slides section,.reveal p", {"line-height": base.get("line-height")}))
    heading_look = {"font-style": headings.get("style"), "line-height": headings.get("line-height")}
    rules.append(_css_rule(".reveal :is(h1,h2,h3,h4,h5,h6)", heading_look))
    rules.append(_css_rule(".reveal :is(code,pre,kbd,samp)", {"font-weight": monospace.get("weight")}))
    if brand.colors:
        rules.append(BRAND_RULES)
    return "\n".join(rule for rule in rules if rule) + "\n"


def _css_rule(selector: str, declarations: dict[str, str | None]) -> str:
    """``selector{name:value;…}`` for the declarations that have a value; "" when none has."""
    shown = [f"{name}:{value}" for name, value in declarations.items() if value]
    return selector + "{" + ";".join(shown) + "}" if shown else ""


# The pieces mystdeck and reveal.js draw, in the brand's colours (the variables above).
BRAND_RULES = """\
.reveal .progress{color:var(--deck-brand-primary)}
.reveal .controls{color:var(--deck-brand-primary)}
.reveal .slide-number{background-color:var(--deck-brand-primary);color:var(--deck-brand-on-primary)}
.reveal .deck-footer{color:var(--r-main-color)}
.reveal .admonition{border-left-color:var(--deck-brand-primary);\
background:color-mix(in srgb,var(--deck-brand-primary) 8%,transparent)}
.reveal pre.deck-code-block,.reveal pre.deck-parsed-literal{border-top:4px solid var(--deck-brand-secondary)}
html.deck-handout-print .reveal .slides>.deck-handout-page{font-family:var(--r-main-font)}"""
