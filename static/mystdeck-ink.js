/* mystdeck's pen: drawing on the slides while presenting. Strokes belong to their slide and step, are kept
   in the browser per deck, mirrored between the deck and its speaker view, and downloaded (D) for the
   annotated PDF (mystdeck talk.md --drawings NAME-drawings.json). */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";
  var COLOURS = { black: "#1a1a1a", red: "#c0392b", blue: "#1a5fb4", green: "#26a269" };
  var TOOLS = {
    pen: { width: 4, opacity: 1 },
    highlighter: { width: 22, opacity: 0.35 },
  };
  if (/print-pdf/.test(window.location.search)) return;  // the annotated PDF draws the strokes itself

  var setup = JSON.parse((document.getElementById("deck-setup") || { textContent: "{}" }).textContent);
  var words = (setup && setup.ink) || {};
  var storageKey = "mystdeck-drawings:" + window.location.pathname;
  var state = { mode: "off", colour: "red", strokes: load(), undo: [], drawing: null };
  var speakerWindow = null;
  var toolbar = null;

  function load() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      return kept && Array.isArray(kept.strokes) ? kept.strokes : [];
    } catch (err) { return []; }
  }

  function save() {
    try { window.localStorage.setItem(storageKey, JSON.stringify(document_())); } catch (err) { /* full, or private */ }
  }

  function document_() {
    return { format: "mystdeck-drawings", version: 1, deck: setup.name || "", strokes: state.strokes };
  }

  // --- where a stroke is drawn: the current slide, in its own 1280 × 720 coordinates --------------------
  function currentSlide() { return window.Reveal.getCurrentSlide(); }

  // The step shown: the highest index of the fragments visible (read from the slide itself, which reveal.js
  // has updated when it tells of a fragment shown or hidden), -1 before the first.
  function currentStep() {
    var step = -1;
    currentSlide().querySelectorAll(".fragment.visible[data-fragment-index]").forEach(function (fragment) {
      step = Math.max(step, parseInt(fragment.getAttribute("data-fragment-index"), 10) || 0);
    });
    return step;
  }

  // Measured on the slides' frame, not on the slide: a slide moving in (its transition) is already in place.
  function slidePoint(event) {
    var box = document.querySelector(".reveal .slides").getBoundingClientRect();
    var config = window.Reveal.getConfig();
    var x = (event.clientX - box.left) / box.width * (config.width || 1280);
    var y = (event.clientY - box.top) / box.height * (config.height || 720);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10, event.pressure || 0.5];
  }

  function layer(slide) {
    var svg = slide.querySelector(":scope > svg.deck-ink");
    if (!svg) {
      var config = window.Reveal.getConfig();
      svg = document.createElementNS(NS, "svg");
      svg.setAttribute("class", "deck-ink");
      svg.setAttribute("viewBox", "0 0 " + (config.width || 1280) + " " + (config.height || 720));
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("aria-hidden", "true");
      slide.appendChild(svg);
    }
    return svg;
  }

  function pathData(points) {
    return points.map(function (p, i) { return (i ? "L" : "M") + p[0] + " " + p[1]; }).join(" ") +
      (points.length === 1 ? " l0.1 0" : "");
  }

  function strokeElement(stroke) {
    var path = document.createElementNS(NS, "path");
    path.setAttribute("d", pathData(stroke.points));
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", stroke.color);
    path.setAttribute("stroke-width", String(stroke.width));
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    path.setAttribute("stroke-opacity", String(stroke.opacity));
    path.setAttribute("data-stroke", stroke.id);
    return path;
  }

  // Every slide shows its strokes from their step on (a stroke made on step 2 appears from step 2).
  function render(slide) {
    if (!slide || !slide.id) return;
    var step = slide === currentSlide() ? currentStep() : Infinity;
    var mine = state.strokes.filter(function (s) { return s.slide === slide.id && s.step <= step; });
    var svg = slide.querySelector(":scope > svg.deck-ink");
    if (!mine.length && !svg) return;
    svg = layer(slide);
    svg.textContent = "";
    mine.forEach(function (stroke) { svg.appendChild(strokeElement(stroke)); });
  }

  function renderAll() {
    document.querySelectorAll(".reveal .slides section[id]").forEach(render);
  }

  // --- changes: each is saved, mirrored to the speaker view (or the deck), and can be undone --------------
  function changed(undoEntry) {
    if (undoEntry) state.undo.push(undoEntry);
    save();
    renderAll();
    send();
  }

  // Messages are JSON text, as reveal.js' own: its speaker view reads every message as JSON.
  function send() {
    var message = JSON.stringify({ namespace: "mystdeck-ink", strokes: state.strokes });
    if (window.parent !== window) window.parent.postMessage(message, "*");  // a frame of the speaker view
    if (speakerWindow && !speakerWindow.closed) speakerWindow.postMessage(message, "*");
  }

  window.addEventListener("message", function (event) {
    if (typeof event.data !== "string" || event.data.indexOf('{"namespace":"mystdeck-ink"') !== 0) return;
    var data;
    try { data = JSON.parse(event.data); } catch (err) { return; }
    if (!Array.isArray(data.strokes)) return;
    state.strokes = data.strokes.filter(valid);
    save();
    renderAll();
  });

  function valid(stroke) {
    return stroke && typeof stroke.slide === "string" && Array.isArray(stroke.points) &&
      typeof stroke.color === "string" && /^#[0-9a-f]{6}$/i.test(stroke.color);
  }

  function undo() {
    var entry = state.undo.pop();
    if (!entry) return;
    if (entry.added) state.strokes = state.strokes.filter(function (s) { return entry.added.indexOf(s.id) === -1; });
    if (entry.removed) state.strokes = state.strokes.concat(entry.removed);
    changed(null);
  }

  function clearSlide() {
    var id = currentSlide().id;
    var removed = state.strokes.filter(function (s) { return s.slide === id; });
    if (!removed.length) return;
    state.strokes = state.strokes.filter(function (s) { return s.slide !== id; });
    changed({ removed: removed });
  }

  function erase(point) {
    var id = currentSlide().id;
    var step = currentStep();
    var hit = state.strokes.filter(function (s) {
      return s.slide === id && s.step <= step && near(s, point, 10 + s.width / 2);
    });
    if (!hit.length) return;
    state.strokes = state.strokes.filter(function (s) { return hit.indexOf(s) === -1; });
    changed({ removed: hit });
  }

  function near(stroke, p, room) {
    for (var i = 0; i < stroke.points.length; i++) {
      var a = stroke.points[i];
      var b = stroke.points[Math.min(i + 1, stroke.points.length - 1)];
      if (segmentDistance(p, a, b) <= room) return true;
    }
    return false;
  }

  function segmentDistance(p, a, b) {
    var dx = b[0] - a[0], dy = b[1] - a[1];
    var t = dx || dy ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy))) : 0;
    return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
  }

  // --- the pointer -----------------------------------------------------------------------------------------
  function begin(event, tool) {
    if (tool === "laser") { laser(event); return; }
    if (tool === "eraser") { state.drawing = { eraser: true }; erase(slidePoint(event)); return; }
    var look = TOOLS[tool] || TOOLS.pen;
    var point = slidePoint(event);
    var pressure = event.pointerType === "pen" ? 0.4 + point[2] : 1;
    var stroke = {
      id: Date.now().toString(36) + Math.random().toString(36).slice(2, 7),
      slide: currentSlide().id, step: currentStep(), tool: tool,
      color: tool === "highlighter" && state.colour === "black" ? "#f5c211" : COLOURS[state.colour],
      width: Math.round(look.width * pressure * 10) / 10, opacity: look.opacity, points: [point.slice(0, 2)],
    };
    state.drawing = { stroke: stroke, element: strokeElement(stroke) };
    layer(currentSlide()).appendChild(state.drawing.element);
  }

  function extend(event) {
    var drawing = state.drawing;
    if (!drawing) { if (state.mode === "laser") laser(event); return; }
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    (events.length ? events : [event]).forEach(function (e) {
      var point = slidePoint(e);
      if (drawing.eraser) { erase(point); return; }
      drawing.stroke.points.push(point.slice(0, 2));
    });
    if (drawing.element) drawing.element.setAttribute("d", pathData(drawing.stroke.points));
  }

  function finish() {
    var drawing = state.drawing;
    state.drawing = null;
    if (!drawing || !drawing.stroke) return;
    state.strokes.push(drawing.stroke);
    changed({ added: [drawing.stroke.id] });
  }

  var laserDot = null;
  var laserTimer = 0;
  function laser(event) {
    if (!laserDot) {
      laserDot = document.createElement("div");
      laserDot.className = "deck-laser";
      document.body.appendChild(laserDot);
    }
    laserDot.style.left = event.clientX + "px";
    laserDot.style.top = event.clientY + "px";
    laserDot.classList.add("deck-laser-on");
    window.clearTimeout(laserTimer);
    laserTimer = window.setTimeout(function () { laserDot.classList.remove("deck-laser-on"); }, 700);
  }

  var capture = document.createElement("div");
  capture.className = "deck-ink-capture";
  capture.hidden = true;

  function pointerDown(event) {
    var stylus = event.pointerType === "pen";
    if (state.mode === "off" && !stylus) return;  // a finger still swipes while the pen is off
    if (event.target.closest && event.target.closest(".deck-ink-toolbar, .deck-menu")) return;
    event.preventDefault();
    event.stopPropagation();
    begin(event, state.mode === "off" ? "pen" : state.mode);
  }

  capture.addEventListener("pointerdown", pointerDown);
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "pen" && state.mode === "off") pointerDown(event);
  }, true);
  document.addEventListener("pointermove", function (event) {
    if (state.drawing || state.mode === "laser") extend(event);
  });
  document.addEventListener("pointerup", finish);
  document.addEventListener("pointercancel", finish);

  // --- the tools, by key and by the toolbar ---------------------------------------------------------------
  function choose(mode) {
    state.mode = state.mode === mode ? "off" : mode;
    capture.hidden = state.mode === "off";
    capture.dataset.tool = state.mode;
    document.documentElement.classList.toggle("deck-inking", state.mode !== "off");
    if (toolbar) updateToolbar();
  }

  function download() {
    var blob = new Blob([JSON.stringify(document_(), null, 1)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (setup.name || "deck") + "-drawings.json";
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function button(label, title, action, extra) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "deck-ink-button " + (extra || "");
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", function (event) { event.stopPropagation(); action(); });
    return b;
  }

  function makeToolbar() {
    toolbar = document.createElement("div");
    toolbar.className = "deck-ink-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", words.toolbar || "Pen");
    toolbar.appendChild(button("✎", words.pen + " (C)", function () { choose("pen"); }, "deck-ink-toggle"));
    var tools = document.createElement("div");
    tools.className = "deck-ink-tools";
    tools.appendChild(button("▬", words.highlighter + " (H)", function () { choose("highlighter"); }, "deck-ink-highlighter"));
    tools.appendChild(button("●", words.laser + " (L)", function () { choose("laser"); }, "deck-ink-laser"));
    tools.appendChild(button("⌫", words.eraser + " (E)", function () { choose("eraser"); }, "deck-ink-eraser"));
    Object.keys(COLOURS).forEach(function (name) {
      var swatch = button("", words["colour_" + name], function () { state.colour = name; updateToolbar(); },
        "deck-ink-colour");
      swatch.style.setProperty("--deck-ink-colour", COLOURS[name]);
      swatch.dataset.colour = name;
      tools.appendChild(swatch);
    });
    tools.appendChild(button("↶", words.undo + " (Ctrl+Z)", undo, "deck-ink-undo"));
    tools.appendChild(button("✕", words.clear + " (Del)", clearSlide, "deck-ink-clear"));
    tools.appendChild(button("⤓", words.download + " (D)", download, "deck-ink-download"));
    toolbar.appendChild(tools);
    document.body.appendChild(toolbar);
    updateToolbar();
  }

  function updateToolbar() {
    toolbar.classList.toggle("deck-ink-open", state.mode !== "off");
    var pressed = { "deck-ink-toggle": "pen", "deck-ink-highlighter": "highlighter", "deck-ink-laser": "laser",
      "deck-ink-eraser": "eraser" };
    Object.keys(pressed).forEach(function (cls) {
      var b = toolbar.querySelector("." + cls);
      if (b) b.setAttribute("aria-pressed", String(state.mode === pressed[cls]));
    });
    toolbar.querySelectorAll(".deck-ink-colour").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.colour === state.colour));
    });
  }

  function bindKeys() {
    var bind = function (code, key, mode) {
      window.Reveal.addKeyBinding({ keyCode: code, key: key, description: words[mode] || mode }, function () {
        choose(mode);
      });
    };
    bind(67, "C", "pen");
    bind(72, "H", "highlighter");
    bind(76, "L", "laser");
    bind(69, "E", "eraser");
    window.Reveal.addKeyBinding({ keyCode: 46, key: "Del", description: words.clear }, clearSlide);
    window.Reveal.addKeyBinding({ keyCode: 68, key: "D", description: words.download }, download);
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
        if (/input|textarea/i.test((document.activeElement || {}).tagName || "")) return;
        event.preventDefault();
        undo();
      }
    });
  }

  // The deck keeps the speaker window it opens, to mirror strokes into it; the speaker page passes them on.
  function watchSpeakerWindow() {
    var open = window.open;
    window.open = function () {
      var opened = open.apply(window, arguments);
      if (opened && arguments[0] === "about:blank") {
        speakerWindow = opened;
        window.setTimeout(send, 1500);  // once its slides are there
      }
      return opened;
    };
  }

  watchSpeakerWindow();
  // A preview that only shows (the speaker view's next slide, the audience's follow page) gets the strokes,
  // but no pen.
  var onlyShows = /receiver/.test(window.location.search) && /controls=false/.test(window.location.search);
  window.Reveal.on("ready", function () {
    if (!onlyShows) {
      document.body.appendChild(capture);
      makeToolbar();
      bindKeys();
    }
    renderAll();
  });
  ["slidechanged", "fragmentshown", "fragmenthidden"].forEach(function (name) {
    window.Reveal.on(name, function () { render(currentSlide()); });
  });
  window.mystdeckInk = { state: state, choose: choose, undo: undo, clear: clearSlide };
})();
