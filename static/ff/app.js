// Enhancements only: every page works without this file.
import { initAll } from "/assets/govuk-frontend.min.js";

initAll();

// A line (range input) and its number box show the same mark: dragging fills the box, and typing
// a mark measured from a paper form moves the line. Only the box is sent, so an item nobody
// touched arrives empty and is reported as missing. The lines are drawn hidden and shown here:
// without this script they could not fill the boxes.
for (const row of document.querySelectorAll("[data-ff-line]")) {
  const track = row.querySelector(".ff-line__track");
  const line = track.querySelector("input[type=range]");
  const box = row.querySelector("input[data-ff-box]");
  track.hidden = false;
  if (box.value !== "" && Number(box.value) >= 0 && Number(box.value) <= 10) {
    line.value = box.value;
  }
  line.addEventListener("input", () => {
    box.value = Number(line.value).toFixed(1);
  });
  box.addEventListener("input", () => {
    const value = Number(box.value);
    if (box.value !== "" && value >= 0 && value <= 10) line.value = value;
  });
}

// Sections of people not at the session are hidden, not removed: what was typed is kept if the
// practitioner ticks the person again.
const present = document.querySelectorAll("input[name=present]");
function showPresent() {
  for (const box of present) {
    const section = document.getElementById(`person-${box.value}`);
    if (section) section.hidden = !box.checked;
  }
}
for (const box of present) box.addEventListener("change", showPresent);
showPresent();
