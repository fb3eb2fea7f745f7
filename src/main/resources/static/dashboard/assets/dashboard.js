// The dashboard's one shared script, served from the application itself (the Content-Security-Policy allows no
// inline script). Copy buttons: a button with data-copy="<id>" copies that element's text or value.
"use strict";

// The Clipboard API where the browser allows it; a browser that neither allows nor refuses it (a permission prompt
// nobody answers) gets a second to decide.
function writeClipboard(text) {
  if (!navigator.clipboard || !window.isSecureContext) {
    return Promise.reject(new Error("no clipboard"));
  }
  const timeout = new Promise((resolve, reject) => setTimeout(() => reject(new Error("no answer")), 1000));
  return Promise.race([navigator.clipboard.writeText(text), timeout]);
}

// Selects the element's text, so that the copy command, or the user's Ctrl+C, takes it.
function selectText(source) {
  if (source.select) {
    source.select();
  } else {
    window.getSelection().selectAllChildren(source);
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) {
    return;
  }
  const source = document.getElementById(button.dataset.copy);
  const text = source.value !== undefined ? source.value : source.textContent;
  writeClipboard(text).then(
    () => { button.textContent = "Copied"; },
    () => {
      selectText(source);
      button.textContent = document.execCommand("copy") ? "Copied" : "Selected: press Ctrl+C";
    });
});
