/* mystdeck's deck runtime: typeset formulas, draw diagrams left for the page, then start reveal.js. */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function typesetMath(macros) {
    if (!window.katex) return;
    document.querySelectorAll(".deck-math").forEach(function (el) {
      var tex = el.textContent;
      try {
        window.katex.render(tex, el, { displayMode: el.dataset.display === "true", throwOnError: false,
          macros: Object.assign({}, macros) });
      } catch (err) {
        el.classList.add("deck-math-error");
        el.title = err.message;
      }
    });
  }

  // Diagrams not drawn at build time are drawn here, before reveal.js hides any slide,
  // so that mermaid measures them at their real size.
  async function drawDiagrams() {
    var sources = document.querySelectorAll(".deck-mermaid-source");
    if (!sources.length || !window.mermaid) return;
    var theme = document.body.dataset.mermaidTheme || "default";
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: theme });
    for (var i = 0; i < sources.length; i++) {
      var pre = sources[i];
      try {
        var result = await window.mermaid.render("deck-mermaid-page-" + i, pre.textContent);
        pre.insertAdjacentHTML("beforebegin", result.svg);
        pre.remove();
      } catch (err) {
        pre.insertAdjacentHTML("beforebegin",
          '<p class="deck-diagram-error">' + escapeHtml(err.message || err) + "</p>");
      }
    }
  }

  // For print, reveal.js would make each page the slide plus its margin. mystdeck prints pages of
  // exactly the slide's size instead and shrinks the slide inside by the same margin, so a page
  // looks like the screen.
  function fitPrintToSlideSize(config) {
    if (!/print-pdf/.test(window.location.search)) return;
    var margin = typeof config.margin === "number" ? config.margin : 0.04;
    var height = config.height || 720;
    var scale = 1 / (1 + margin);
    var root = document.documentElement.style;
    root.setProperty("--deck-print-scale", String(scale));
    root.setProperty("--deck-print-offset", ((height * (1 - scale)) / 2).toFixed(2) + "px");
    config.margin = 0;
  }

  // The speaker view (reveal.js' notes plugin) opens about:blank and writes its page into it. Its labels
  // and clock are English; this rewrites them in the deck's language as the page is written, and adds
  // buttons and keys (+ and -) that make the notes larger or smaller, remembered for the deck.
  function speakAsTheDeck() {
    var element = document.getElementById("deck-speaker");
    if (!element) return;
    var speaker = JSON.parse(element.textContent);
    var words = speaker.words;
    var open = window.open;
    window.open = function () {
      var opened = open.apply(window, arguments);
      if (opened && arguments[0] === "about:blank") {
        var write = opened.document.write.bind(opened.document);
        opened.document.write = function (html) { write(localiseSpeakerPage(String(html), speaker, words)); };
      }
      return opened;
    };
  }

  function replaceAll(text, from, to) { return text.split(from).join(to); }

  function localiseSpeakerPage(html, speaker, words) {
    var clockOptions = "{ hour12: " + speaker.hour12 + ", hour: '2-digit', minute:'2-digit' }";
    var clockFormat = { hour12: speaker.hour12, hour: "2-digit", minute: "2-digit" };
    var pairs = [
      ['<html lang="en">', '<html lang="' + escapeHtml(speaker.lang) + '">'],
      [">Upcoming<", ">" + escapeHtml(words.upcoming) + "<"],
      [">Time <span", ">" + escapeHtml(words.time) + " <span"],
      [">Click to Reset<", ">" + escapeHtml(words.reset) + "<"],
      [">Pacing – Time to finish current slide<", ">" + escapeHtml(words.pacing) + "<"],
      [">Notes<", ">" + escapeHtml(words.notes) + "<"],
      ["Loading speaker view...", escapeHtml(words.loading)],
      ["'Layout' +", JSON.stringify(words.layout) + " +"],
      ["'default': 'Default'", "'default': " + JSON.stringify(words["default"])],
      ["'wide': 'Wide'", "'wide': " + JSON.stringify(words.wide)],
      ["'tall': 'Tall'", "'tall': " + JSON.stringify(words.tall)],
      ["'notes-only': 'Notes only'", "'notes-only': " + JSON.stringify(words.notes_only)],
      ["toLocaleTimeString( 'en-US', { hour12: true, hour: '2-digit', minute:'2-digit' } )",
        "toLocaleTimeString( " + JSON.stringify(speaker.lang) + ", " + clockOptions + " )"],
      // The clock shows the time from the moment the view opens, not only from its first tick a second later.
      ["0:00 AM", new Date().toLocaleTimeString(speaker.lang, clockFormat)],
    ];
    pairs.forEach(function (pair) { html = replaceAll(html, pair[0], pair[1]); });
    if (window.mystdeckRemote) {  // --present: the phone remote's address, to type or scan from here
      html = html.replace("</body>", '<p class="deck-remote-address">' + escapeHtml(speaker.remote || "Remote") +
        ": " + escapeHtml(window.mystdeckRemote) + "</p></body>");
    }
    return html.replace("</head>", mathStyles() + SPEAKER_STYLE + "</head>")
      .replace("</body>", "<script>(" + noteSize.toString() + ")(" + JSON.stringify(words) + ");(" +
        inkRelay.toString() + ")();<\/script></body>");
  }

  // The notes' formulas need KaTeX's stylesheet in the speaker view too, else each shows twice (typeset and
  // as the hidden MathML's text): linked by its full address, or copied when the single file holds it.
  function mathStyles() {
    var found = "";
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      if (/katex/.test(link.getAttribute("href"))) found += '<link rel="stylesheet" href="' + escapeHtml(link.href) + '">';
    });
    document.querySelectorAll("style").forEach(function (style) {
      if (style.textContent.indexOf(".katex") !== -1) found += style.outerHTML;
    });
    return found;
  }

  // Larger notes by default; the "Upcoming" label sits at the foot of the next slide, not on its title.
  var SPEAKER_STYLE = "<style>" +
    ".speaker-controls-notes .value { font-size: var(--deck-notes-size, 26px); line-height: 1.4; }" +
    ".speaker-controls-notes .value p { margin: 0 0 0.5em; }" +
    "#upcoming-slide .label { top: auto !important; bottom: 6px; opacity: 0.85; }" +
    ".deck-remote-address { position: fixed; right: 8px; bottom: 4px; margin: 0; font-size: 13px; color: #555; }" +
    ".deck-notes-size { margin-left: 0.8em; font: inherit; font-size: 14px; padding: 0 0.5em; cursor: pointer; }" +
    "</style>";

  // Runs inside the speaker window: strokes drawn in the deck reach its slide previews, and the other way.
  function inkRelay() {
    window.addEventListener("message", function (event) {
      if (typeof event.data !== "string" || event.data.indexOf('{"namespace":"mystdeck-ink"') !== 0) return;
      var frames = Array.prototype.map.call(document.querySelectorAll("iframe"), function (f) { return f.contentWindow; });
      if (event.source !== window.opener && window.opener) window.opener.postMessage(event.data, "*");
      frames.forEach(function (frame) { if (frame !== event.source) frame.postMessage(event.data, "*"); });
    });
  }

  // Runs inside the speaker window.
  function noteSize(words) {
    var key = "mystdeck-notes-size:" + (window.opener ? window.opener.location.pathname : "");
    var size = parseInt(localStorage.getItem(key) || "26", 10);
    function apply(next) {
      size = Math.max(14, Math.min(64, next));
      document.documentElement.style.setProperty("--deck-notes-size", size + "px");
      try { localStorage.setItem(key, String(size)); } catch (err) { /* private mode: not remembered */ }
    }
    function button(text, title, step) {
      var b = document.createElement("button");
      b.className = "deck-notes-size";
      b.type = "button";
      b.textContent = text;
      b.title = title;
      b.addEventListener("click", function () { apply(size + step); });
      return b;
    }
    var label = document.querySelector(".speaker-controls-notes .label");
    if (label) {
      label.appendChild(button("A−", words.smaller, -2));
      label.appendChild(button("A+", words.larger, 2));
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "+" || event.key === "=") apply(size + 2);
      else if (event.key === "-") apply(size - 2);
    });
    apply(size);
  }

  // Handouts: reveal.js has printed each slide on a page of the slide's size (.pdf-page); these are
  // placed, scaled, on A4 pages: one slide with its notes below ("notes", continued on further pages
  // when long), or 2, 3, 4 or 6 slides to a page for the audience (with lines for notes beside 3).
  function layoutHandout(kind, config) {
    var info = JSON.parse(document.getElementById("deck-speaker").textContent);
    var slides = document.querySelector(".reveal .slides");
    var pdfPages = Array.prototype.slice.call(slides.querySelectorAll(":scope > .pdf-page"));
    document.querySelectorAll("style").forEach(function (style) {  // reveal.js' page of the slide's size
      if (/@page/.test(style.textContent)) style.remove();
    });
    var pageStyle = document.createElement("style");
    pageStyle.textContent = "@page { size: 210mm 297mm; margin: 0; }";
    document.head.appendChild(pageStyle);
    document.documentElement.classList.add("deck-handout-print");
    var made = kind === "notes" ? notesHandout(slides, pdfPages, info, config) : slidesHandout(slides, pdfPages,
      parseInt(kind, 10) || 3, info, config);
    made.forEach(function (page, index) {
      var number = page.querySelector(".deck-handout-page-number");
      if (number) number.textContent = fill(info.page_of, index + 1, made.length);
    });
  }

  function fill(template, n, total) {
    return template.replace("{n}", String(n)).replace("{total}", String(total));
  }

  function handoutPage(slides, info, slideIds, label) {
    var page = document.createElement("div");
    page.className = "deck-handout-page";
    page.dataset.slides = slideIds.join(" ");
    var footer = document.createElement("div");
    footer.className = "deck-handout-footer";
    var title = document.createElement("span");
    title.textContent = info.title;
    var number = document.createElement("span");
    number.className = label ? "" : "deck-handout-page-number";
    number.textContent = label || "";
    footer.appendChild(title);
    footer.appendChild(number);
    page.appendChild(footer);
    slides.appendChild(page);
    return page;
  }

  function slideBox(pdfPage) {
    var box = document.createElement("div");
    box.className = "deck-handout-slide";
    box.appendChild(pdfPage);
    return box;
  }

  function scaleSlides(page, config) {
    page.querySelectorAll(".deck-handout-slide").forEach(function (box) {
      var pdfPage = box.firstElementChild;
      var scale = box.clientWidth / (config.width || 1280);
      pdfPage.style.width = (config.width || 1280) + "px";
      pdfPage.style.height = (config.height || 720) + "px";
      pdfPage.style.zoom = String(scale);  // zoom, not a transform: the printed layout must shrink too
      box.style.height = ((config.height || 720) * scale) + "px";
    });
  }

  function notesOf(pdfPage) {
    var nodes = [];
    pdfPage.querySelectorAll("aside.notes").forEach(function (aside) {
      Array.prototype.forEach.call(aside.childNodes, function (node) {
        if (node.nodeType !== 3 || node.textContent.trim()) nodes.push(node.cloneNode(true));
      });
    });
    return nodes;
  }

  function notesHandout(slides, pdfPages, info, config) {
    var made = [];
    pdfPages.forEach(function (pdfPage, index) {
      var section = pdfPage.querySelector("section[id]");
      var id = section ? section.id : "";
      var label = fill(info.slide_of, index + 1, pdfPages.length);
      var page = handoutPage(slides, info, [id], label);
      page.insertBefore(slideBox(pdfPage), page.firstChild);
      scaleSlides(page, config);
      var notes = notesOf(pdfPage);
      var area = notesArea(page, notes.length === 0);
      made.push(page);
      notes.forEach(function (node) {
        area.appendChild(node);
        if (area.scrollHeight > area.clientHeight + 1 && area.childNodes.length > 1) {
          area.removeChild(node);  // does not fit: continue on a page of its own, the slide's number repeated
          page = handoutPage(slides, info, [id], label);
          page.classList.add("deck-handout-continued");
          area = notesArea(page, false);
          area.appendChild(node);
          made.push(page);
        }
      });
    });
    return made;
  }

  function notesArea(page, empty) {
    var area = document.createElement("div");
    area.className = "deck-handout-notes" + (empty ? " deck-handout-lines" : "");
    page.insertBefore(area, page.querySelector(".deck-handout-footer"));
    return area;
  }

  function slidesHandout(slides, pdfPages, perPage, info, config) {
    var made = [];
    for (var first = 0; first < pdfPages.length; first += perPage) {
      var group = pdfPages.slice(first, first + perPage);
      var ids = group.map(function (p) { var s = p.querySelector("section[id]"); return s ? s.id : ""; });
      var page = handoutPage(slides, info, ids, "");
      page.classList.add("deck-handout-n" + perPage);
      var grid = document.createElement("div");
      grid.className = "deck-handout-grid";
      group.forEach(function (pdfPage) {
        var cell = document.createElement("div");
        cell.className = "deck-handout-cell";
        cell.appendChild(slideBox(pdfPage));
        if (perPage === 3) {
          var lines = document.createElement("div");
          lines.className = "deck-handout-lines";
          cell.appendChild(lines);
        }
        grid.appendChild(cell);
      });
      page.insertBefore(grid, page.firstChild);
      scaleSlides(page, config);
      made.push(page);
    }
    return made;
  }

  // {tab-set}: a click (or Enter) on a tab shows its panel.
  function enableTabs() {
    document.querySelectorAll(".deck-tab-set").forEach(function (set) {
      var tabs = set.querySelectorAll(".deck-tab");
      tabs.forEach(function (tab) {
        tab.addEventListener("click", function () {
          tabs.forEach(function (other) {
            var chosen = other === tab;
            other.setAttribute("aria-selected", String(chosen));
            other.tabIndex = chosen ? 0 : -1;
            document.getElementById(other.getAttribute("aria-controls")).hidden = !chosen;
          });
        });
      });
    });
  }

  // In the PDF: every dropdown open, and links to a slide ("#/id") become links inside the document.
  function prepareForPrint() {
    if (!/print-pdf/.test(window.location.search)) return;
    document.querySelectorAll("details.deck-dropdown").forEach(function (el) { el.open = true; });
    document.querySelectorAll('a[href^="#/"]').forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(2));
      if (document.getElementById(id)) a.setAttribute("href", "#" + id);
    });
  }

  // A table wider than its slide gets a smaller font until it fits (down to half the size).
  function shrinkWideTables(root) {
    root.querySelectorAll(".deck-table-wrap").forEach(function (wrap) {
      var table = wrap.querySelector("table");
      if (!table || !wrap.clientWidth) return;
      var size = parseFloat(window.getComputedStyle(table).fontSize);
      for (var step = 0; step < 10 && table.scrollWidth > wrap.clientWidth + 1; step++) {
        size *= 0.93;
        table.style.fontSize = size.toFixed(2) + "px";
      }
    });
  }

  // A display formula wider than its slide is made smaller until it fits (down to 40 per cent), so no part of
  // it is cut off at the slide's edge, on the screen or in the PDF.
  function shrinkWideFormulas(root) {
    root.querySelectorAll(".katex-display").forEach(function (display) {
      var formula = display.querySelector(".katex");
      if (!formula || !display.clientWidth) return;
      formula.style.zoom = "";
      var wide = formula.scrollWidth;
      if (wide > display.clientWidth + 1) {
        formula.style.zoom = String(Math.max(0.4, Math.floor((display.clientWidth / wide) * 100) / 100));
      }
    });
  }

  // On the screen only the slide shown is measured (the others are not laid out); in print, every slide.
  function fitWideContent(event) {
    var root = (event && event.currentSlide) || document;
    shrinkWideTables(root);
    shrinkWideFormulas(root);
  }


  // Text for the slide menu's filter: lower case, umlauts and accents folded ("Übung" is found by "ubung"
  // and "uebung", "Straße" by "strasse").
  function fold(text) {
    return String(text).toLowerCase().replace(/ß/g, "ss").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function foldedBoth(text) {
    var lower = String(text).toLowerCase();
    return fold(lower) + "\n" + fold(lower.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue"));
  }

  function slideTitle(slide, number, words) {
    var heading = slide.querySelector("h1, h2, h3, h4, h5, h6");
    if (heading) {  // a formula in the title: its typeset text once, without the copy for screen readers
      heading = heading.cloneNode(true);
      heading.querySelectorAll(".katex-mathml").forEach(function (el) { el.remove(); });
    }
    var text = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    return text || words.slide.replace("{n}", String(number));
  }

  function slideText(slide) {
    var copy = slide.cloneNode(true);
    copy.querySelectorAll("aside.notes, .deck-navbar, nav.deck-agenda, .deck-footer, .katex-mathml").forEach(function (el) {
      el.remove();
    });
    return copy.textContent;
  }

  // The slide menu (M): every slide's title (its short title when the title is long), the sections as headings, the current slide marked, a filter field
  // that narrows the list as you type; Enter or a click goes to the slide, Esc closes.
  function slideMenu(words, sections, shortTitles) {
    var menu = document.createElement("div");
    menu.className = "deck-menu";
    menu.hidden = true;
    menu.setAttribute("role", "dialog");
    menu.setAttribute("aria-modal", "true");
    menu.setAttribute("aria-label", words.title);
    menu.innerHTML = '<div class="deck-menu-panel"><div class="deck-menu-head">' +
      '<input type="search" class="deck-menu-filter" autocomplete="off">' +
      '<button type="button" class="deck-menu-reading"></button>' +
      '<button type="button" class="deck-menu-close">×</button></div>' +
      '<ul class="deck-menu-list"></ul><p class="deck-menu-none" hidden></p></div>';
    var filter = menu.querySelector(".deck-menu-filter");
    var list = menu.querySelector(".deck-menu-list");
    var none = menu.querySelector(".deck-menu-none");
    var close = menu.querySelector(".deck-menu-close");
    filter.setAttribute("aria-label", words.filter);
    filter.placeholder = words.filter;
    close.setAttribute("aria-label", words.close);
    close.title = words.close;
    none.textContent = words.none;
    var reading = menu.querySelector(".deck-menu-reading");
    reading.textContent = words.reading;
    reading.addEventListener("click", function () { hide(); toggleReading(); });
    document.body.appendChild(menu);
    var entries = [];
    var active = 0;
    var opener = null;

    function fill() {
      list.textContent = "";
      entries = [];
      var number = 0;
      document.querySelectorAll(".reveal .slides section").forEach(function (slide) {
        if (slide.querySelector("section") || slide.classList.contains("deck-agenda-slide")) return;
        if (slide.dataset.visibility !== "uncounted") number += 1;
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#/" + encodeURIComponent(slide.id);
        var title = slideTitle(slide, number, words);
        link.textContent = title.length > 40 && shortTitles[slide.id] ? shortTitles[slide.id] : title;
        if (link.textContent !== title) link.title = title;
        link.tabIndex = -1;
        item.className = sections.indexOf(slide.id) !== -1 ? "deck-menu-section" : "";
        if (slide === window.Reveal.getCurrentSlide()) link.setAttribute("aria-current", "page");
        link.addEventListener("click", function (event) { event.preventDefault(); go(slide); });
        item.appendChild(link);
        list.appendChild(item);
        entries.push({ item: item, link: link, slide: slide, title: foldedBoth(title),
          text: foldedBoth(slideText(slide)) });
      });
    }

    function shown() { return entries.filter(function (entry) { return !entry.item.hidden; }); }

    function mark(index) {
      var visible = shown();
      entries.forEach(function (entry) { entry.item.classList.remove("deck-menu-active"); });
      if (!visible.length) return;
      active = Math.max(0, Math.min(visible.length - 1, index));
      visible[active].item.classList.add("deck-menu-active");
      visible[active].item.scrollIntoView({ block: "nearest" });
    }

    // Slides whose title or text holds the query stay; the first whose title holds it is chosen for Enter.
    function narrow() {
      var query = fold(filter.value.trim());
      entries.forEach(function (entry) {
        entry.item.hidden = query !== "" && entry.title.indexOf(query) === -1 && entry.text.indexOf(query) === -1;
      });
      var visible = shown();
      none.hidden = visible.length > 0;
      var chosen = visible.findIndex(function (entry) {
        return query === "" ? entry.link.hasAttribute("aria-current") : entry.title.indexOf(query) !== -1;
      });
      mark(Math.max(chosen, 0));
    }

    function go(slide) {
      hide();
      var indices = window.Reveal.getIndices(slide);
      window.Reveal.slide(indices.h, indices.v);
    }

    function show() {
      opener = document.activeElement;
      fill();
      menu.hidden = false;
      filter.value = "";
      narrow();
      filter.focus();
    }

    function hide() {
      menu.hidden = true;
      if (opener && opener.focus && opener !== document.body) opener.focus();
      else if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    }

    filter.addEventListener("input", narrow);
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); hide(); }
      else if (event.key === "ArrowDown") { event.preventDefault(); mark(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(active - 1); }
      else if (event.key === "Enter" && event.target === filter) {
        event.preventDefault();
        var visible = shown();
        if (visible.length) go(visible[active].slide);
      }
      else if (event.key === "Tab") {  // focus stays in the menu: the filter, the reading view, close
        event.preventDefault();
        var stops = [filter, reading, close];
        var at = stops.indexOf(event.target);
        stops[(at + (event.shiftKey ? stops.length - 1 : 1)) % stops.length].focus();
      }
    });
    close.addEventListener("click", hide);
    menu.addEventListener("click", function (event) { if (event.target === menu) hide(); });
    window.Reveal.addKeyBinding({ keyCode: 77, key: "M", description: words.open }, function () {
      if (menu.hidden) show(); else hide();
    });
  }

  // In the PDF the agenda slides stay out (unless the front matter asks for them) and so does the menu.
  function leaveOutOfPrint() {
    if (!/print-pdf/.test(window.location.search)) return;
    document.querySelectorAll('.reveal .slides section[data-deck-print="no"]').forEach(function (slide) {
      var stack = slide.parentElement;
      slide.remove();
      if (stack.classList.contains("deck-stack") && !stack.querySelector("section")) stack.remove();
    });
  }

  // Someone who asked their system for less motion gets slides that change without moving.
  function calmForReducedMotion(config) {
    if (!window.matchMedia || !window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
    config.transition = "none";
    config.backgroundTransition = "none";
    config.autoAnimate = false;
  }

  // R (or the menu's button) switches to reveal.js' scroll view, a reading version of the deck, and back.
  // reveal.js keeps that view for windows narrower than scrollActivationWidth (a phone): it is widened for it.
  var ownActivationWidth = null;
  function toggleReading() {
    var config = window.Reveal.getConfig();
    if (ownActivationWidth === null) ownActivationWidth = config.scrollActivationWidth;
    var reading = !window.Reveal.isScrollView();
    window.Reveal.configure({ scrollActivationWidth: reading ? 100000 : ownActivationWidth });
    window.Reveal.layout();
  }

  function readingView(words) {
    window.Reveal.addKeyBinding({ keyCode: 82, key: "R", description: words.reading }, toggleReading);
  }

  // slide-number: section writes each slide's number ("2.3") into it; reveal.js shows it, and its print view
  // (which counts pages) gets it on every page.
  function slideNumbers(config) {
    if (config.slideNumber !== "section") return;
    config.slideNumber = function (slide) { return [slide ? slide.dataset.deckNumber || "" : ""]; };
    window.Reveal.on("pdf-ready", function () {
      document.querySelectorAll(".pdf-page").forEach(function (page) {
        var slide = page.querySelector("section[data-deck-number]");
        var number = page.querySelector(".slide-number-pdf");
        if (slide && number) number.textContent = slide.dataset.deckNumber;
      });
    });
  }

  // reveal.js' search box speaks the deck's language (the plugin makes its box when first asked to close it).
  function localiseSearch(words) {
    var search = window.Reveal.getPlugin("search");
    if (search) search.close();
    var input = document.querySelector(".searchbox .searchinput");
    if (input) {
      input.placeholder = words.search + " …";
      input.setAttribute("aria-label", words.search);
    }
  }

  async function start() {
    speakAsTheDeck();
    var config = JSON.parse(document.getElementById("deck-config").textContent);
    var setup = JSON.parse(document.getElementById("deck-setup").textContent);
    config.plugins = setup.plugins.map(function (name) { return window[name]; }).filter(Boolean);
    slideNumbers(config);
    calmForReducedMotion(config);
    fitPrintToSlideSize(config);
    leaveOutOfPrint();
    prepareForPrint();
    enableTabs();
    typesetMath(setup.macros);
    await drawDiagrams();
    // The PDF export waits for this flag: reveal.js has laid out every page (and, for a handout, the
    // handout's pages are made) and fonts are loaded.
    window.Reveal.on("ready", fitWideContent);
    window.Reveal.on("slidechanged", fitWideContent);
    window.Reveal.on("pdf-ready", function () {
      shrinkWideTables(document);
      var handout = new URLSearchParams(window.location.search).get("handout");
      if (handout) layoutHandout(handout, config);
      document.fonts.ready.then(function () {
        shrinkWideFormulas(document);  // measured with KaTeX's fonts
        window.mystdeckPdfReady = true;
      });
    });
    window.Reveal.on("ready", function () {
      if (/print-pdf/.test(window.location.search)) return;
      slideMenu(setup.words, setup.sections, setup.short);
      readingView(setup.words);
      localiseSearch(setup.words);
    });
    window.Reveal.initialize(config);
  }

  start();
})();
