/* Opens a case study behind a password (protected.html), in the reader's browser only.
   The key is derived from the password with PBKDF2-HMAC-SHA256 (WebCrypto), the page is
   decrypted with AES-256-GCM, unpacked (its HTML gzip-compressed, each picture as raw
   bytes under the marker the HTML names it by) and shown in place of the password form.
   A link may carry the password after "#password=": the page opens at once and the
   password is taken out of the address bar. Nothing is sent anywhere; every word shown
   is in the page already. The format is the one portfolio/vault.py writes. */
(function () {
  "use strict";

  var holder = document.getElementById("protected-payload");
  var form = document.getElementById("unlock-form");
  if (!holder || !form) {
    return;
  }
  var input = document.getElementById("unlock-password");
  var wrong = document.getElementById("unlock-wrong");
  var status = document.getElementById("unlock-status");
  var submit = document.getElementById("unlock-submit");
  var unsupported = document.getElementById("unlock-unsupported");
  var LINK = "#password=";

  function supported() {
    return Boolean(
      window.crypto && window.crypto.subtle && window.DecompressionStream && window.TextEncoder &&
      window.DOMParser && window.FileReader && window.Response
    );
  }

  function fromBase64(text) {
    var raw = atob(text.replace(/\s+/g, ""));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      out[i] = raw.charCodeAt(i);
    }
    return out;
  }

  function deriveKey(password) {
    var secret = new TextEncoder().encode(password.normalize("NFC"));
    return crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveKey"]).then(function (material) {
      return crypto.subtle.deriveKey(
        {
          name: "PBKDF2",
          salt: fromBase64(holder.getAttribute("data-salt")),
          iterations: Number(holder.getAttribute("data-iterations")),
          hash: holder.getAttribute("data-hash") || "SHA-256"
        },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["decrypt"]
      );
    });
  }

  function gunzip(data) {
    var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  function dataUrl(mime, data) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(new Blob([data], { type: mime }));
    });
  }

  function ascii(data) {
    return String.fromCharCode.apply(null, data);
  }

  /* MAGIC "PFP1", the number of pictures, each picture (marker, MIME type, bytes, each
     after its length), then the HTML, gzip-compressed. */
  function unpack(plain) {
    var view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    if (ascii(plain.subarray(0, 4)) !== "PFP1") {
      return Promise.reject(new Error("not a packed page"));
    }
    var count = view.getUint32(4);
    var at = 8;
    var pictures = [];
    for (var i = 0; i < count; i += 1) {
      var size = view.getUint16(at);
      var marker = ascii(plain.subarray(at + 2, at + 2 + size));
      at += 2 + size;
      size = view.getUint16(at);
      var mime = ascii(plain.subarray(at + 2, at + 2 + size));
      at += 2 + size;
      size = view.getUint32(at);
      pictures.push({ marker: marker, mime: mime, data: plain.subarray(at + 4, at + 4 + size) });
      at += 4 + size;
    }
    return gunzip(plain.subarray(at)).then(function (html) {
      return Promise.all(pictures.map(function (p) { return dataUrl(p.mime, p.data); })).then(function (urls) {
        pictures.forEach(function (p, n) {
          html = html.split(p.marker).join(urls[n]);
        });
        return html;
      });
    });
  }

  function decrypt(password) {
    var data = fromBase64(holder.textContent);
    return deriveKey(password).then(function (key) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: data.subarray(0, 12) }, key, data.subarray(12));
    }).then(function (plain) {
      return unpack(new Uint8Array(plain));
    });
  }

  /* The page in place of this one. What the two heads share (the style sheets, the icon)
     stays where it is, so nothing loads twice and nothing flickers. */
  function show(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var wanted = Array.from(page.head.children);
    Array.from(document.head.children).forEach(function (node) {
      var same = wanted.find(function (other) { return other.isEqualNode(node); });
      if (same) {
        wanted.splice(wanted.indexOf(same), 1);
      } else {
        node.remove();
      }
    });
    wanted.forEach(function (node) { document.head.appendChild(document.adoptNode(node)); });
    ["lang", "dir", "class"].forEach(function (name) {
      var value = page.documentElement.getAttribute(name);
      if (value === null) {
        document.documentElement.removeAttribute(name);
      } else {
        document.documentElement.setAttribute(name, value);
      }
    });
    document.body.replaceWith(document.adoptNode(page.body));
    window.removeEventListener("hashchange", onLink);  /* the page's own links use # too */
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) {
      main.focus({ preventScroll: true });
    }
  }

  function failed(error) {
    submit.disabled = false;
    status.textContent = "";
    if (error && error.name === "OperationError") {  /* AES-GCM: not this password */
      wrong.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.value = "";
      input.focus();
    } else {
      unsupported.hidden = false;
    }
  }

  function attempt(password) {
    wrong.hidden = true;
    input.removeAttribute("aria-invalid");
    submit.disabled = true;
    status.textContent = status.getAttribute("data-opening") || "";
    decrypt(password).then(show, failed);
  }

  /* The password of a share link, taken out of the address bar at once. */
  function linked() {
    if (location.hash.indexOf(LINK) !== 0) {
      return "";
    }
    var password = location.hash.slice(LINK.length);
    history.replaceState(null, "", location.pathname + location.search);
    try {
      return decodeURIComponent(password);
    } catch (error) {
      return password;
    }
  }

  function onLink() {
    var password = linked();
    if (password) {
      attempt(password);
    }
  }

  if (!supported()) {
    unsupported.hidden = false;
    return;
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.value) {
      attempt(input.value);
    }
  });
  window.addEventListener("hashchange", onLink);
  var password = linked();
  if (password) {
    attempt(password);
  }
}());
