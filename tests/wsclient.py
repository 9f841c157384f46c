"""A minimal WebSocket client (RFC 6455) speaking the LiveReload protocol, standard library
only: what a browser tab of `portfolio serve` does, or a hostile page trying to."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import struct
import time


class Refused(ConnectionError):
    """The server did not upgrade the connection: `status` is its HTTP answer."""

    def __init__(self, status: int, head: str) -> None:
        super().__init__(f"no WebSocket upgrade ({status}): {head}")
        self.status = status


class LiveReloadClient:
    """A minimal WebSocket client (RFC 6455) speaking the LiveReload protocol, standard library only."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(
        self, port: int, timeout: float = 30, host: str | None = None, origin: str | None = None
    ) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        host = host or f"127.0.0.1:{port}"
        origin = origin or f"http://127.0.0.1:{port}"
        self.sock.sendall(
            (
                f"GET /livereload HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ", 2)[1])
        accept = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if self.status != 101 or accept.encode() not in head:
            raise Refused(self.status, head[:200].decode("latin-1"))
        self.send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        self.wait_for("hello", timeout)
        # livereload sends reloads only to clients that said where they are.
        self.send({"command": "info", "url": f"http://127.0.0.1:{port}/", "plugins": {}})

    def _more(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buffer += data

    def _take(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._more()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)  # clients must mask
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send(self, message: dict[str, object]) -> None:
        self._frame(0x1, json.dumps(message).encode())

    def receive(self, timeout: float) -> dict[str, object]:
        """The next text message, answering pings on the way."""
        self.sock.settimeout(timeout)
        message = b""
        while True:
            first, second = self._take(2)
            n = second & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._take(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._take(8))
            mask = self._take(4) if second & 0x80 else b""
            payload = self._take(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("the server closed the WebSocket")
            if opcode == 0x9:
                self._frame(0xA, payload)
            elif opcode in (0x0, 0x1):
                message += payload
                if first & 0x80:
                    decoded: dict[str, object] = json.loads(message)
                    return decoded

    def wait_for(self, command: str, timeout: float) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(max(0.01, deadline - time.monotonic()))
            if message.get("command") == command:
                return message

    def drain(self, seconds: float) -> int:
        """Read and drop whatever arrives in the next `seconds`; how many messages came."""
        deadline, count = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            try:
                self.receive(max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            count += 1
        return count

    def settle(self, quiet: float, limit: float) -> int:
        """Drop messages until none has come for `quiet` seconds (at most `limit` seconds)."""
        deadline, count = time.monotonic() + limit, 0
        while time.monotonic() < deadline:
            came = self.drain(quiet)
            count += came
            if not came:
                break
        return count

    def close(self) -> None:
        self.sock.close()
