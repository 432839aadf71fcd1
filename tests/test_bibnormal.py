"""Bibliographies as reference managers export them (tests/bib/: one .bib per tool, written the way each writes
it): every entry reaches the reference list with its authors, year, title as written and container, and no
warning; biblatex's data model is read next to BibTeX's."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mystdeck import bibnormal
from mystdeck.diagnostics import Reporter
from mystdeck.pipeline import Resources, prepare_deck

CORPUS = Path(__file__).resolve().parent / "bib"

# Each entry: (an author's or editor's name, the year, the title as it must read, what it is found in).
EXPECTED: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "zotero-biblatex.bib": {
        "brumer_control_1986": ("Brumer", "1986", "Control of unimolecular reactions using coherent light",
                                "Chemical Physics Letters 126(6), S. 541–546"),
        "koch_quantenmechanik_2019": ("Koch", "2019", "Quantenmechanik für Einsteiger. Eine Einführung mit Beispielen",
                                      "2. Aufl. Berlin, Heidelberg: Springer Spektrum"),
        "weber_lernende_2021": ("Weber", "2021", "Lernende Systeme in der Bildverarbeitung",
                                "Diss., Technische Universität München"),
        "fischer_diffusion_2023": ("Fischer", "2023", "Diffusionsmodelle für die Bildsynthese",
                                   "Masterarb., Universität Stuttgart"),
        "mueller_webseite_2024": ("Müller", "2024", "Eine Webseite über Quantenmechanik",
                                  "https://example.org/quanten (abgerufen am 15.01.2025)"),
        "schulz_handbuch_2018": ("Schulz", "2018", "Handbuch Maschinelles Lernen", "Wiesbaden: Springer Vieweg"),
        "becker_grundlagen_2018": ("Becker", "2018", "Grundlagen neuronaler Netze",
                                   "(Hrsg.): Handbuch Maschinelles Lernen. Wiesbaden: Springer Vieweg, S. 13–42"),
        "nichol_improved_2021": ("Nichol", "2021", "Improved Denoising Diffusion Probabilistic Models",
                                 "Proceedings of the 38th International Conference on Machine Learning"),
        "bauer_bericht_2022": ("Bauer", "2022", "Bericht zur Rechenzeit großer Sprachmodelle",
                               "Technischer Bericht KIT-2022-07, Karlsruher Institut für Technologie"),
        "lee_diffusers_2023": ("Lee", "2023", "diffusers: State-of-the-art diffusion models", "Software"),
        "hartmann_bilder_2020": ("Hartmann", "2020", "Bilder und Beschreibungen", "Datensatz. Zenodo"),
    },
    "better-bibtex.bib": {
        "brumerControlUnimolecularReactions1986": ("Brumer", "1986", "Control of Unimolecular Reactions Using Coherent "
                                                   "Light", "Chemical Physics Letters 126(6)"),
        "kochQuantenmechanikFurEinsteiger2019": ("Koch", "2019", "Quantenmechanik für Einsteiger: Eine Einführung mit "
                                                 "Beispielen", "Berlin, Heidelberg: Springer Spektrum"),
        "weberLernendeSystemeBildverarbeitung2021": ("Weber", "2021", "Lernende Systeme in der Bildverarbeitung",
                                                     "Diss., Technische Universität München"),
        "fischerDiffusionsmodelleFurBildsynthese2023": ("Fischer", "2023", "Diffusionsmodelle für die Bildsynthese",
                                                        "Masterarb., Universität Stuttgart"),
        "mullerEineWebseiteUber2024": ("Müller", "2024", "Eine Webseite über Quantenmechanik", "example.org/quanten"),
        "beckerGrundlagenNeuronalerNetze2018": ("Becker", "2018", "Grundlagen neuronaler Netze",
                                                "Handbuch Maschinelles Lernen"),
        "bauerBerichtZurRechenzeit2022": ("Bauer", "2022", "Bericht zur Rechenzeit großer Sprachmodelle",
                                          "Techn. Ber. KIT-2022-07, Karlsruher Institut für Technologie"),
        "hofmannVortragUberBilder2022": ("Hofmann", "2022", "Vortrag über Bilder aus Text",
                                         "Vortrag auf dem Kolloquium Informatik, Leipzig"),
        "schmittKurzanleitungRechenzentrum2020": ("Schmitt", "2020", "Kurzanleitung Rechenzentrum",
                                                  "Broschüre des Rechenzentrums"),
        "pythonSoftwareFoundationPythonLanguageReference2023": ("Python Software Foundation", "2023",
                                                                "The Python Language Reference", "3.12"),
    },
    "jabref-biblatex.bib": {
        "Mueller2020": ("Müller", "2020", "Eine Webseite über Quantenmechanik", "Zeitschrift für Physik 12(3)"),
        "Lang2015": ("Lang", "2015–2017", "Geschichte der Optik", "Stuttgart: Franz Steiner"),
        "Lang2016": ("Lang", "2016", "Das Licht der Renaissance", "Geschichte der Optik. Bd. 2"),
        "Goethe1810": ("Goethe", "1810", "Zur Farbenlehre", "Werke. Bd. 23. Tübingen: Cotta"),
        "Lang2017": ("Lang", "2017", "Register und Nachträge", "Geschichte der Optik. Bd. 3"),
        "Wagner2019": ("Wagner", "2019", "Tagungsband der Jahrestagung Bildverarbeitung", "Dresden: TUDpress"),
        "Krause2019": ("Krause", "2019", "Rauschen als Werkzeug", "Tagungsband der Jahrestagung Bildverarbeitung"),
        "Roth2018": ("Roth", "2018", "Verfahren zur Erzeugung von Bildern aus Beschreibungen", "Patent"),
        "Physik2021": ("Neumann", "2021", "Physik Journal", "20(4)"),
        "Schwarz2025": ("Schwarz", "2025", "Diffusion erklärt", "(abgerufen am 01.03.2025)"),
        "Vogel2020": ("Vogel", "2020", "Schärfe aus Rauschen", "Tagungsband der Jahrestagung Bildverarbeitung 2020"),
        "Klein2023": ("Klein", "2023", "Sprachmodelle im Hörsaal", "(abgerufen am 20.01.2024)"),
        "Institut2024": ("Institut für Bildverarbeitung", "2024", "Vorlesungsfolien Bildverarbeitung",
                         "Universität Dresden"),
    },
    "citavi.bib": {
        "Muller.2020": ("Müller", "2020", "Quantenoptik im Überblick", "3. Auflage. De Gruyter Studium"),
        "Becker.2018": ("Becker", "2018", "Grundlagen neuronaler Netze", "Handbuch Maschinelles Lernen"),
        "Ho.2020": ("Ho", "2020", "Denoising Diffusion Probabilistic Models",
                    "Advances in Neural Information Processing Systems 33, S. 6840–6851"),
        "Weber.2021": ("Weber", "2021", "Lernende Systeme in der Bildverarbeitung", "Dissertation, Technische"),
        "Muller.2024": ("Müller", "2024", "Eine Webseite über Quantenmechanik", "(abgerufen am 15.01.2025)"),
        "Krause.2019": ("Krause", "2019", "Rauschen als Werkzeug", "Dresden: TUDpress, S. 77–84"),
    },
    "dblp.bib": {
        "DBLP:conf/nips/HoJA20": ("Ho", "2020", "Denoising Diffusion Probabilistic Models",
                                  "Advances in Neural Information Processing Systems 33"),
        "DBLP:journals/corr/abs-2204-06125": ("Ramesh", "2022", "Hierarchical Text-Conditional Image Generation with "
                                              "CLIP Latents", "CoRR abs/2204.06125"),
        "DBLP:journals/neco/HochreiterS97": ("Hochreiter", "1997", "Long Short-Term Memory", "Neural Comput. 9(8)"),
        "DBLP:books/lib/Bishop07": ("Bishop", "2007", "Pattern recognition and machine learning, 5th Edition",
                                    "Springer"),
        "DBLP:phd/de/Weber2021": ("Weber", "2021", "Lernende Systeme in der Bildverarbeitung",
                                  "Technical University of Munich"),
        "DBLP:conf/icml/2021": ("Meila", "2021", "Proceedings of the 38th International Conference on Machine Learning",
                                "Proceedings of Machine Learning Research"),
        "DBLP:reference/ml/Sammut17": ("Sammut", "2017", "Markov Chain Monte Carlo",
                                       "Encyclopedia of Machine Learning and Data Mining"),
        "DBLP:data/10/Hartmann20": ("Hartmann", "2020", "Bilder und Beschreibungen", "Data set"),
    },
    "google-scholar.bib": {
        "ho2020denoising": ("Ho", "2020", "Denoising diffusion probabilistic models",
                            "Advances in neural information processing systems 33"),
        "nichol2021improved": ("Nichol", "2021", "Improved denoising diffusion probabilistic models",
                               "International conference on machine learning"),
        "koch2019quantenmechanik": ("Koch", "2019", "Quantenmechanik für Einsteiger", "Springer Spektrum"),
        "weber2021lernende": ("Weber", "2021", "Lernende Systeme in der Bildverarbeitung",
                              "Technische Universität München"),
        "ramesh2022hierarchical": ("Ramesh", "2022", "Hierarchical text-conditional image generation with clip latents",
                                   "arXiv preprint arXiv:2204.06125"),
        "bauer2022bericht": ("Bauer", "2022", "Bericht zur Rechenzeit großer Sprachmodelle",
                             "Karlsruher Institut für Technologie"),
        "becker2018grundlagen": ("Becker", "2018", "Grundlagen neuronaler Netze", "Handbuch Maschinelles Lernen"),
    },
    "arxiv.bib": {
        "ramesh2022hierarchicaltextconditionalimagegeneration": ("Ramesh", "2022", "Hierarchical Text-Conditional "
                                                                 "Image Generation with CLIP Latents",
                                                                 "arXiv: 2204.06125"),
        "radford2021learningtransferablevisualmodels": ("Radford", "2021", "Learning Transferable Visual Models From "
                                                        "Natural Language Supervision", "arXiv: 2103.00020"),
        "song2021scorebasedgenerativemodelingstochastic": ("Song", "2021", "Score-Based Generative Modeling through "
                                                           "Stochastic Differential Equations", "arXiv: 2011.13456"),
    },
    "doi.bib": {
        "Brumer_1986": ("Brumer", "1986", "Control of unimolecular reactions using coherent light",
                        "Chemical Physics Letters 126(6), S. 541–546"),
        "Becker_2018": ("Becker", "2018", "Grundlagen neuronaler Netze", "Handbuch Maschinelles Lernen"),
        "Koch_2019": ("Koch", "2019", "Quantenmechanik für Einsteiger", "Springer Berlin Heidelberg"),
        "Krause_2019": ("Krause", "2019", "Rauschen als Werkzeug", "Tagungsband der Jahrestagung Bildverarbeitung"),
        "Hartmann_2020": ("Hartmann", "2020", "Bilder und Beschreibungen", "Zenodo. DOI: 10.5281/zenodo.0000001"),
    },
}  # fmt: skip


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00a0", " ").split())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_export_builds_with_every_entry_and_no_warning(name: str, tmp_path: Path, res: Resources) -> None:
    expected = EXPECTED[name]
    assert sorted(expected) == sorted(_keys(CORPUS / name)), "the table lists every entry of the file"
    (tmp_path / "references.bib").write_bytes((CORPUS / name).read_bytes())
    cites = " ".join(f"{{cite:p}}`{key}`" for key in expected)
    (tmp_path / "talk.md").write_text(f"---\nlang: de\n---\n# T\n\n## S\n\n{cites}\n", encoding="utf-8")
    reporter = Reporter()
    deck = prepare_deck(tmp_path / "talk.md", res, reporter)
    assert [str(d) for d in reporter.diagnostics] == []
    for key, (who, year, title, container) in expected.items():
        shown = _plain(deck.references[key].html)
        for part in (who, f"({year})", title, container):
            assert part in shown, (key, part, shown)
        assert f"{year})" in _plain(deck.slides[1].html)  # cited with its year, never "o. J."


def _keys(path: Path) -> list[str]:
    return [
        m.group(1) for m in re.finditer(r"^@(?!comment)\w+\{([^,\s]+),", path.read_text(encoding="utf-8"), re.M | re.I)
    ]


def _normalised(entry_type: str, **fields: str) -> tuple[str, dict[str, str], list[str]]:
    from pybtex.database import Entry

    entry = Entry(entry_type, fields=fields)
    problems = [p.message for p in bibnormal.normalise("k", entry)]
    return entry.type, dict(entry.fields), problems


def test_biblatex_dates_give_the_year() -> None:
    assert _normalised("online", date="2024")[1]["year"] == "2024"
    assert _normalised("article", date="2020-05-23")[1]["year"] == "2020"
    assert _normalised("book", date="2019/2020")[1]["year"] == "2019\u20132020"
    assert _normalised("book", date="2019/")[1]["year"] == "2019\u2013"
    assert _normalised("book", date="2019-05/2019-06")[1]["year"] == "2019"
    assert _normalised("book", date="1. Mai")[2] == ["'date = {1. Mai}' is not a date like 2020-05-23 or 2019/2020"]
    assert _normalised("online", urldate="15.01.2025")[2] == []  # as Citavi writes it


def test_every_type_of_both_dialects_has_a_bibtex_type_and_an_unknown_one_is_misc_with_a_warning() -> None:
    for written, formatted in bibnormal.TYPES.items():
        assert _normalised(written, title="T", booktitle="B")[0] == formatted
    assert _normalised("thesis", type="mathesis")[0] == "mastersthesis"
    assert _normalised("inbook", title="T")[0] == "book"  # no book around it
    kind, _fields, problems = _normalised("artikel", title="T")
    assert kind == "misc" and problems == ["the entry type @artikel is unknown: it is shown as @misc"]


def test_biblatex_fields_are_read_as_bibtex_names_them() -> None:
    _kind, added, _problems = _normalised(
        "article",
        journaltitle="J",
        location="Ort",
        issue="4",
        eprinttype="arxiv",
        eprint="2204.06125",
        langid="ngerman",
    )
    assert added["journal"] == "J" and added["address"] == "Ort" and added["number"] == "4" and added["_lang"] == "de"
    assert added["_eprint_url"] == "https://arxiv.org/abs/2204.06125"
    _kind, added, _problems = _normalised("thesis", institution="TU", type="phdthesis")
    assert added["school"] == "TU" and added["_type"] == "thesis"
    assert _normalised("book", publisher="Springer and {Johnson and Johnson}")[1]["publisher"] == (
        "Springer; {Johnson and Johnson}"
    )
