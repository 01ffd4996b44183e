/* A code box that scrolls sideways must be reachable with the keyboard. The theme gives
   such boxes a tab stop when the page loads, when the window is resized and when elements
   are added, but not when a collapsed solution is opened: tell it the layout changed. */
"use strict";

document.addEventListener("click", (event) => {
  const toggles = ".toggle-button, .admonition-title[data-target], summary";
  if (event.target.closest && event.target.closest(toggles)) {
    setTimeout(() => window.dispatchEvent(new Event("resize")), 0);
  }
});
