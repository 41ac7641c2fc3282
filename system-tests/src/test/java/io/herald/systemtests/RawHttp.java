package io.herald.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: request targets that a client
 * library would normalize or refuse ({@code /v1;x=y/events}, {@code /%761/events}),
 * bodies that are not UTF-8, lengths that lie, and chunked bodies. Every request asks the
 * server to close the connection after its answer.
 */
final class RawHttp {

	private static final int TIMEOUT_MILLIS = 30_000;

	private RawHttp() {
	}

	/** A request to send, with its headers in order. */
	record Request(String method, String target, List<String> headers, byte[] body, boolean chunked, boolean sendBody) {

		static Request of(String method, String target) {
			return new Request(method, target, List.of(), new byte[0], false, true);
		}

		Request header(String name, String value) {
			List<String> headers = new ArrayList<>(this.headers);
			headers.add(name + ": " + value);
			return new Request(this.method, this.target, headers, this.body, this.chunked, this.sendBody);
		}

		Request apiKey(String key) {
			return header("Authorization", "Bearer " + key);
		}

		Request json(String body) {
			return header("Content-Type", "application/json").body(body.getBytes(StandardCharsets.UTF_8));
		}

		Request body(byte[] body) {
			return new Request(this.method, this.target, this.headers, body, this.chunked, this.sendBody);
		}

		/** Sends the body in chunks, without a {@code Content-Length}. */
		Request inChunks() {
			return new Request(this.method, this.target, this.headers, this.body, true, this.sendBody);
		}

		/** Declares the body's length but sends nothing of it. */
		Request withholdBody() {
			return new Request(this.method, this.target, this.headers, this.body, this.chunked, false);
		}

		@Override
		public String toString() {
			return this.method + " " + abbreviate(this.target) + " " + this.headers + " ("
					+ (this.chunked ? "chunked " : "") + this.body.length + " bytes)";
		}

	}

	/** An answer: status, headers (names in lower case) and body. */
	record Response(Request request, int status, Map<String, String> headers, String body) {

		@Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		String describe() {
			return this.request + " -> " + this.status + " " + this.headers.get("content-type") + " "
					+ abbreviate(this.body);
		}

	}

	/** Sends the request to {@code 127.0.0.1:port} and reads the answer. */
	static Response send(int port, Request request) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			StringBuilder head = new StringBuilder();
			head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
			head.append("Host: 127.0.0.1:").append(port).append("\r\n");
			request.headers().forEach((header) -> head.append(header).append("\r\n"));
			if (request.chunked()) {
				head.append("Transfer-Encoding: chunked\r\n");
			}
			else if (request.body().length > 0) {
				head.append("Content-Length: ").append(request.body().length).append("\r\n");
			}
			head.append("Connection: close\r\n\r\n");
			out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			try {
				if (request.sendBody()) {
					writeBody(out, request);
				}
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer (413) and close before the whole body is written.
			}
			return read(request, socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No answer to " + request + ": " + ex, ex);
		}
	}

	private static void writeBody(OutputStream out, Request request) throws IOException {
		if (!request.chunked()) {
			out.write(request.body());
			return;
		}
		int chunk = 8192;
		for (int from = 0; from < request.body().length; from += chunk) {
			int length = Math.min(chunk, request.body().length - from);
			out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.write(request.body(), from, length);
			out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		}
		out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
	}

	private static Response read(Request request, InputStream in) throws IOException {
		String statusLine = line(in);
		if (statusLine == null) {
			throw new IOException("the server closed the connection without an answer");
		}
		String[] parts = statusLine.split(" ", 3);
		int status = Integer.parseInt(parts[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
		}
		if (status / 100 == 1 || request.method().equals("HEAD")) {
			return new Response(request, status, headers, "");
		}
		byte[] body;
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = dechunk(in);
		}
		else if (headers.containsKey("content-length")) {
			body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
		}
		else {
			body = readToEnd(in);
		}
		return new Response(request, status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] dechunk(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (String size = line(in); size != null; size = line(in)) {
			int length = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
			if (length == 0) {
				break;
			}
			body.write(in.readNBytes(length));
			line(in);
		}
		return body.toByteArray();
	}

	private static byte[] readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				body.write(buffer, 0, read);
			}
		}
		catch (SocketTimeoutException ex) {
			// An answer without a length on a connection the server keeps open: take what
			// came.
		}
		return body.toByteArray();
	}

	private static @Nullable String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b >= 0; b = in.read()) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	static String abbreviate(String text) {
		return (text.length() <= 300) ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
	}

}
