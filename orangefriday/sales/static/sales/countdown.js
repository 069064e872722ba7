// Countdowns to a round's start or a hold's end, ticking each second; the server renders
// the times in the fan's zone and "in 3 minutes", this only makes the countdowns live.
(function () {
  // "3d" in English, "3天" in Chinese: the page's language.
  var days = document.documentElement.lang.indexOf("zh") === 0 ? "天" : "d";
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function left(ms) {
    if (ms <= 0) return "0:00";
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
    var m = Math.floor(s % 3600 / 60);
    return (d ? d + days + " " : "") + (d || h ? h + ":" + pad(m) : m) + ":" + pad(s % 60);
  }
  function tick() {
    document.querySelectorAll("time.countdown").forEach(function (el) {
      el.textContent = left(new Date(el.getAttribute("datetime")) - new Date());
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("time.local").forEach(function (el) {
      el.textContent = new Date(el.getAttribute("datetime")).toLocaleString();
    });
    if (document.querySelector("time.countdown")) { tick(); setInterval(tick, 1000); }
  });
})();
