// "Back to your form" goes back in the history rather than to a fresh copy of the page: the
// browser then shows the form as the fan left it, with what they typed.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
