// The export form's "Select all" box, without the inline onchange handler
// that the Content-Security-Policy blocks. onSelectToggleChange comes from
// django-import-export's export_selectable_fields.js, loaded before this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector('input.select-toggle[name="select-all-toggle"]');
  if (toggle) {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
