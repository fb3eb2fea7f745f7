// The dashboard's one script, served from the application itself (the Content-Security-Policy allows no inline
// script). Copy buttons: a button with data-copy="<id>" copies that element's text or value to the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) {
    return;
  }
  const source = document.getElementById(button.dataset.copy);
  const text = source.value !== undefined ? source.value : source.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch (unavailable) {
    // No clipboard (an insecure origin, a denied permission): select the text so that Ctrl+C copies it.
    if (source.select) {
      source.select();
    } else {
      window.getSelection().selectAllChildren(source);
    }
    button.textContent = "Selected: press Ctrl+C";
  }
});
