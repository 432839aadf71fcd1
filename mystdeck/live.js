/* mystdeck's live preview client, added to every HTML page the preview server sends. */
(function () {
  "use strict";
  var firstBuild = null;
  var OVERLAY_ID = "mystdeck-error-overlay";

  function showErrors(lines) {
    var overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:100000;background:rgba(20,20,20,0.92);color:#fff;" +
        "font:16px/1.5 ui-monospace,monospace;padding:40px;overflow:auto;white-space:pre-wrap;";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "The deck did not build; it shows the last good version once you fix this:\n\n" +
      lines.join("\n");
  }

  function hideErrors() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  var events = new EventSource("/__mystdeck__/events");
  events.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (firstBuild === null) firstBuild = state.id;
    window.mystdeckLiveBuild = state.id;
    if (state.errors.length) {
      showErrors(state.errors);
    } else if (state.id !== firstBuild) {
      // The address keeps reveal.js' #/h/v, so the reloaded deck opens on the same slide.
      window.location.reload();
    } else {
      hideErrors();
    }
  };

  // --present: the deck window on this machine tells the remote and the follow page where it is, and takes the
  // remote's requests as its own keys would (it stays in charge: keyboard and clicker work as before).
  function presentFromHere() {
    var token = window.mystdeckPresenter;
    if (!token || window.top !== window || !window.Reveal) return;
    var setupElement = document.getElementById("deck-setup");
    var setup = setupElement ? JSON.parse(setupElement.textContent) : {};
    var config = window.Reveal.getConfig();
    var query = "?t=" + encodeURIComponent(token);
    var timer = 0;

    function notesOf(slide) {
      var parts = [];
      slide.querySelectorAll("aside.notes").forEach(function (aside) { parts.push(aside.innerText.trim()); });
      return parts.filter(Boolean).join("\n\n");
    }

    // One state on its way at a time, the newest next: two posts at once could arrive the wrong way round.
    var sending = false;
    var again = false;
    var sequence = 0;
    function publish() {
      if (sending) { again = true; return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var slide = window.Reveal.getCurrentSlide();
        var heading = slide.querySelector("h1, h2, h3, h4, h5, h6");
        var ink = window.mystdeckInk;
        var state = {
          deck: window.location.pathname, indices: window.Reveal.getIndices(), reveal: window.Reveal.getState(),
          title: heading ? heading.textContent.trim() : "", notes: notesOf(slide),
          number: window.Reveal.getSlidePastCount() + 1, total: window.Reveal.getTotalSlides(),
          paused: window.Reveal.isPaused(), lang: document.documentElement.lang, words: setup.remote || {},
          minutes: config.totalTime ? config.totalTime / 60 : 0, strokes: ink ? ink.state.strokes : [],
        };
        state.sequence = ++sequence;
        sending = true;
        fetch("/__mystdeck__/state" + query, { method: "POST", body: JSON.stringify(state) })
          .catch(function () {})
          .then(function () {
            sending = false;
            if (again) { again = false; publish(); }
          });
      }, 0);
    }

    var requests = new EventSource("/__mystdeck__/commands" + query);
    requests.onmessage = function (message) {
      JSON.parse(message.data).forEach(function (action) {
        if (action === "next") window.Reveal.next();
        else if (action === "prev") window.Reveal.prev();
        else if (action === "blackout") window.Reveal.togglePause();
      });
    };
    ["slidechanged", "fragmentshown", "fragmenthidden", "paused", "resumed"].forEach(function (name) {
      window.Reveal.on(name, publish);
    });
    window.addEventListener("message", function (event) {  // strokes drawn: the followers see them too
      if (typeof event.data === "string" && event.data.indexOf('{"namespace":"mystdeck-ink"') === 0) publish();
    });
    document.addEventListener("pointerup", publish);
    if (window.Reveal.isReady()) publish(); else window.Reveal.on("ready", publish);
  }

  presentFromHere();
})();
