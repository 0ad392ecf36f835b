/*
 * convscope embed helper for course pages.
 *
 * Include it once on a page that embeds convscope widgets in iframes:
 *   <iframe src="…/index.html?lang=en#/embed/pool" height="720" style="border:0" width="100%"></iframe>
 *   <script src="…/embed.js" defer></script>
 *
 * Each embedded widget posts its content height to the parent as a message
 *   { type: "convscope:height", height: <CSS pixels> }
 * and this script sets the height of the iframe that sent it (matched by its window, and only
 * when the message comes from that iframe's own origin). Nothing else is read or sent. Without
 * this script, the iframes simply keep the height they were given.
 */
(function () {
  "use strict";
  function originOf(src) {
    try {
      return new URL(src, document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "convscope:height" || typeof data.height !== "number") return;
    var height = Math.ceil(data.height);
    if (!(height > 0 && height < 20000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (originOf(frame.src) !== event.origin) return;
      frame.style.height = height + "px";
      frame.setAttribute("data-convscope-height", String(height));
      return;
    }
  });
})();
