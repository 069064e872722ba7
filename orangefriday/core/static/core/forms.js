// A form whose text is more than the server takes (data-form-limit on <body>, in bytes) is
// not sent: the server would answer with an error page, and a browser brings back only some
// fields when the fan goes back. The fan stays on the form, with everything they typed, and
// is told at the longest field. Without JavaScript the server's own page says the same.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const limit = Number(document.body.dataset.formLimit);
  if (!limit || form.method.toLowerCase() !== "post") return;
  const encoder = new TextEncoder();
  let size = 0;
  let longest = null;
  for (const field of form.elements) {
    if (!field.name || field.disabled || field.type === "file" || !("value" in field)) continue;
    const bytes = encoder.encode(field.value).length;
    size += bytes + field.name.length + 2;
    if (!longest || bytes > longest.bytes) longest = { field, bytes };
  }
  if (size <= limit) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const megabytes = (n) => (n / (1024 * 1024)).toFixed(1);
  let message = form.querySelector("[data-form-too-large]");
  if (!message) {
    message = document.createElement("p");
    message.className = "error";
    message.setAttribute("role", "alert");
    message.dataset.formTooLarge = "";
    longest.field.insertAdjacentElement("afterend", message);
  }
  message.textContent =
    `This text is ${megabytes(longest.bytes)} MB: a form may send at most ` +
    `${megabytes(limit)} MB of text (attached files aside). Shorten it and send it again.`;
  longest.field.focus();
}, true);

// A form's bug-only fields ([data-bug-fields]) are shown only while its kind is "bug".
// Disabled while hidden, so that what was typed there before is not sent; without
// JavaScript they are all shown and the server drops them for other kinds.
function showBugFields(form) {
  const fields = form.querySelector("[data-bug-fields]");
  const kind = form.querySelector("input[name=kind]:checked");
  if (!fields || !kind) return;
  const isBug = kind.value === "bug";
  fields.hidden = !isBug;
  fields.disabled = !isBug;
}
document.addEventListener("change", (event) => {
  if (event.target.name === "kind" && event.target.form) showBugFields(event.target.form);
});
document.querySelectorAll("form").forEach(showBugFields);
