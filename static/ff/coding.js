// Coding a document: a passage selected in its text (with the mouse, or the keyboard's caret
// browsing) is sent as its character offsets, to the same action as a whole paragraph. Without
// this script the evaluator codes whole paragraphs; the server checks every offset it is sent.
const text = document.querySelector("[data-ff-coding]");
const form = document.getElementById("coding-form");

// Where a point of the selection falls in the document's text, or null outside it. Each
// paragraph's element holds exactly its text, starting at data-start.
const offsetOf = (node, offset) => {
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const paragraph = element?.closest(".ff-paragraph");
  if (!paragraph || !text.contains(paragraph)) return null;
  const start = Number(paragraph.dataset.start);
  if (node.nodeType === Node.TEXT_NODE) return start + offset;
  return start + (offset === 0 ? 0 : paragraph.textContent.length);
};

if (text && form) {
  const start = form.querySelector("#start");
  const end = form.querySelector("#end");
  const shown = document.getElementById("selected-passage");
  const paragraph = form.querySelector("#paragraph");
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const from = offsetOf(range.startContainer, range.startOffset);
    const to = offsetOf(range.endContainer, range.endOffset);
    if (from === null || to === null || to <= from) return;
    start.value = String(from);
    end.value = String(to);
    shown.hidden = false;
    shown.textContent = `Selected passage: “${selection.toString().trim()}”`;
    paragraph.value = "";
  });
  // Choosing a paragraph again codes the whole paragraph, not the last selection.
  paragraph.addEventListener("change", () => {
    start.value = "";
    end.value = "";
    shown.hidden = true;
  });
}
