// Sign-up guesses the fan's time zone from the browser; the settings page can change it.
for (const field of document.querySelectorAll("input[data-guess-zone]")) {
  if (!field.value) field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
}
