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
})();
