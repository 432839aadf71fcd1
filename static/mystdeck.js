/* mystdeck's deck runtime: typeset formulas, draw diagrams left for the page, then start reveal.js. */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function typesetMath() {
    if (!window.katex) return;
    document.querySelectorAll(".deck-math").forEach(function (el) {
      var tex = el.textContent;
      try {
        window.katex.render(tex, el, { displayMode: el.dataset.display === "true", throwOnError: false });
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

  async function start() {
    var config = JSON.parse(document.getElementById("deck-config").textContent);
    config.plugins = [window.RevealNotes, window.RevealHighlight].filter(Boolean);
    fitPrintToSlideSize(config);
    typesetMath();
    await drawDiagrams();
    // The PDF export waits for this flag: reveal.js has laid out every page and fonts are loaded.
    window.Reveal.on("pdf-ready", function () {
      document.fonts.ready.then(function () { window.mystdeckPdfReady = true; });
    });
    window.Reveal.initialize(config);
  }

  start();
})();
