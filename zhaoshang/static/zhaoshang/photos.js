// Photos are shrunk in the browser before they are sent: a phone camera's 4,000 px picture of a
// building site (several MB over a township's mobile connection) becomes a JPEG of at most
// 1,600 px on its longer side. Any file input marked data-shrink-images takes part; a file that is
// not a picture (a PDF bank slip) is sent as it was. While pictures are being shrunk, the form's
// submit button waits.
(function () {
  "use strict";
  const MAX_SIDE = 1600;
  const QUALITY = 0.8;
  const SHRINKABLE = /^image\/(jpeg|png|webp|bmp)$/;
  const sizes = new WeakMap(); // a shrunk file → "1600×1067"

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      const image = new Image();
      const url = URL.createObjectURL(file);
      image.onload = function () {
        URL.revokeObjectURL(url);
        resolve(image);
      };
      image.onerror = function () {
        URL.revokeObjectURL(url);
        reject(new Error("not an image"));
      };
      image.src = url;
    });
  }

  async function shrink(file) {
    if (!SHRINKABLE.test(file.type)) return file;
    let picture;
    try {
      picture = await decode(file);
    } catch (error) {
      return file; // the server judges what the browser cannot read
    }
    const width = picture.width;
    const height = picture.height;
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG becomes white, not black, as a JPEG
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    if (picture.close) picture.close();
    const blob = await new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", QUALITY);
    });
    if (!blob || (scale === 1 && blob.size >= file.size)) return file;
    const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
    const shrunk = new File([blob], name, { type: "image/jpeg", lastModified: Date.now() });
    sizes.set(shrunk, canvas.width + "×" + canvas.height);
    return shrunk;
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1);
  }

  document.querySelectorAll("input[type=file][data-shrink-images]").forEach(function (input) {
    const form = input.form;
    const note = form ? form.querySelector("[data-shrink-status]") : null;
    input.addEventListener("change", async function () {
      if (!input.files.length || !window.DataTransfer) return;
      const buttons = form ? form.querySelectorAll("button[type=submit]") : [];
      buttons.forEach(function (b) {
        b.disabled = true;
      });
      input.dataset.shrinking = "1";
      try {
        const before = Array.from(input.files);
        const after = await Promise.all(before.map(shrink));
        if (after.some(function (file, i) { return file !== before[i]; })) {
          const transfer = new DataTransfer();
          after.forEach(function (file) {
            transfer.items.add(file);
          });
          input.files = transfer.files;
          if (note) {
            const sum = after.reduce(function (total, file) { return total + file.size; }, 0);
            const shown = after.map(function (file) { return sizes.get(file); }).filter(Boolean);
            note.textContent = (note.dataset.template || "")
              .replace("%(size)s", shown.join(", "))
              .replace("%(mb)s", megabytes(sum));
          }
        }
      } finally {
        delete input.dataset.shrinking;
        input.dataset.shrunk = "1";
        buttons.forEach(function (b) {
          b.disabled = false;
        });
      }
    });
  });
})();
