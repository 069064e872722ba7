// @mentions: in a textarea with data-mentions (the URL of the thread's participants), typing
// "@" and the start of a name offers the fans who took part; a click, Enter or Tab puts the
// name in. Without JavaScript a fan types the whole name, which works just as well.
(() => {
  const WORD = /(^|[^\w@.+-])@([\w.+-]*)$/;
  let list = null;
  let active = -1;
  let asked = 0; // only the answer to the latest keystroke is shown

  function close() {
    if (list) list.remove();
    list = null;
    active = -1;
  }

  function choose(field, name) {
    const before = field.value.slice(0, field.selectionStart).replace(WORD, `$1@${name} `);
    field.value = before + field.value.slice(field.selectionStart);
    field.selectionStart = field.selectionEnd = before.length;
    field.removeAttribute("aria-activedescendant");
    close();
    field.focus();
  }

  function highlight(field, index) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    field.setAttribute("aria-activedescendant", options[index].id);
  }

  async function offer(field) {
    const mine = ++asked;
    const typed = field.value.slice(0, field.selectionStart).match(WORD);
    if (!typed) return close();
    const url = `${field.dataset.mentions}?q=${encodeURIComponent(typed[2])}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const names = response.ok ? await response.json() : [];
    if (mine !== asked) return;
    close();
    if (!names.length) return;
    list = document.createElement("ul");
    list.className = "mentions";
    list.id = `${field.id || "comment"}-mentions`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", field.dataset.mentionsLabel || "Fans in this thread");
    names.forEach((name, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.setAttribute("role", "option");
      option.dataset.name = name;
      option.textContent = `@${name}`;
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(field, name);
      });
      list.append(option);
    });
    field.setAttribute("aria-controls", list.id);
    field.insertAdjacentElement("afterend", list);
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches("textarea[data-mentions]")) offer(event.target);
  });
  document.addEventListener("keydown", (event) => {
    const field = event.target;
    if (!list || !field.matches("textarea[data-mentions]")) return;
    const options = list.querySelectorAll("[role=option]");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight(field, (active + step + options.length) % options.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(field, options[active].dataset.name);
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.matches("textarea[data-mentions]")) setTimeout(close, 150);
  });
})();
