// A local mailbox for the browser tests: an SMTP server (RFC 5321 subset: EHLO/HELO, MAIL,
// RCPT, DATA, RSET, NOOP, QUIT) that keeps every message in memory, and an HTTP endpoint that
// returns them, so a test reads an invitation link the way its recipient would — from the email
// the platform sent — and never from a staff page (which must not show it).
//
// Prints "smtp 127.0.0.1:<port> http http://127.0.0.1:<port>" once both listen.
// GET /messages?to=<address> → [{ to: [...], from, subject, text }] (newest last).
import http from "node:http";
import net from "node:net";

const messages = [];

/** Decodes a quoted-printable body (soft line breaks, =XX bytes) as UTF-8. */
function quotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Splits a raw message into headers and a readable text body. */
function parse(raw) {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  let body = raw.slice(split + 4);
  const headers = {};
  for (const line of head.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  const encoding = (headers["content-transfer-encoding"] || "").toLowerCase();
  if (encoding === "quoted-printable") body = quotedPrintable(body);
  if (encoding === "base64") body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return { headers, body };
}

const smtp = net.createServer((socket) => {
  let buffer = "";
  let envelope = { from: "", to: [] };
  let inData = false;
  const reply = (line) => socket.write(`${line}\r\n`);
  reply("220 mail-sink ESMTP");
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        const raw = Buffer.from(buffer.slice(0, end).replace(/\r\n\.\./g, "\r\n."), "latin1").toString("utf8");
        buffer = buffer.slice(end + 5);
        inData = false;
        const { headers, body } = parse(raw);
        messages.push({ to: envelope.to, from: envelope.from, subject: headers.subject || "", text: body });
        envelope = { from: "", to: [] };
        reply("250 2.0.0 queued");
        continue;
      }
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === "EHLO" || verb === "HELO") reply("250 mail-sink");
      else if (verb === "MAIL") {
        envelope.from = (line.match(/<([^>]*)>/) || [])[1] || "";
        reply("250 2.1.0 ok");
      } else if (verb === "RCPT") {
        envelope.to.push(((line.match(/<([^>]*)>/) || [])[1] || "").toLowerCase());
        reply("250 2.1.5 ok");
      } else if (verb === "DATA") {
        inData = true;
        reply("354 end with <CRLF>.<CRLF>");
      } else if (verb === "RSET") {
        envelope = { from: "", to: [] };
        reply("250 ok");
      } else if (verb === "NOOP") reply("250 ok");
      else if (verb === "QUIT") {
        reply("221 bye");
        socket.end();
        return;
      } else reply("502 5.5.1 not implemented");
    }
  });
  socket.on("error", () => {});
});

const api = http.createServer((request, response) => {
  const url = new URL(request.url, "http://sink");
  if (url.pathname !== "/messages") {
    response.writeHead(404).end();
    return;
  }
  const to = (url.searchParams.get("to") || "").toLowerCase();
  const found = messages.filter((m) => !to || m.to.includes(to));
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(found));
});

smtp.listen(Number(process.env.SMTP_PORT || 0), "127.0.0.1", () => {
  api.listen(Number(process.env.HTTP_PORT || 0), "127.0.0.1", () => {
    console.log(`smtp 127.0.0.1:${smtp.address().port} http http://127.0.0.1:${api.address().port}`);
  });
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
