// The public portal. Loaded as a file: the Content Security Policy forbids inline scripts.
// Everything here only helps; the pages work without it.
document.addEventListener("DOMContentLoaded", () => {
  const town = document.getElementById("id_town");
  const village = document.getElementById("id_village");
  if (town && village) {
    const townName = () => (town.value ? town.options[town.selectedIndex].text : "");
    // Only the chosen town's villages are offered.
    const narrow = () => {
      const name = townName();
      for (const group of village.querySelectorAll("optgroup")) {
        const other = name !== "" && group.label !== name;
        group.hidden = other;
        group.disabled = other;
      }
      const chosen = village.options[village.selectedIndex];
      if (chosen && chosen.parentElement.disabled) village.value = "";
    };
    // A village chosen first sets its town.
    village.addEventListener("change", () => {
      const chosen = village.options[village.selectedIndex];
      const group = chosen ? chosen.parentElement : null;
      if (group && group.tagName === "OPTGROUP" && townName() !== group.label) {
        for (const option of town.options) {
          if (option.text === group.label) town.value = option.value;
        }
        narrow();
      }
    });
    town.addEventListener("change", narrow);
    narrow();
  }
  // A form is sent once: the button is disabled after the first press.
  for (const button of document.querySelectorAll("button[data-once]")) {
    button.form.addEventListener("submit", () => {
      window.setTimeout(() => { button.disabled = true; }, 0);
    });
  }
});
