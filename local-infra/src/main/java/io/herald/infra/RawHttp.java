package io.herald.infra;

import org.jspecify.annotations.Nullable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one HTTP/1.1 request exactly as written, byte for byte, over a plain socket. HTTP
 * clients normalize request targets ({@code /v1;x=y/events}, {@code //v1/events},
 * {@code /%761/events}); a test of what a server does with such targets must not let
 * them.
 */
public final class RawHttp {

	private static final int TIMEOUT_MILLIS = 30_000;

	private RawHttp() {
	}

	/**
	 * Sends a request and reads the whole response ({@code Connection: close} is added).
	 * @param port the server's port on {@code 127.0.0.1}
	 * @param method the method, sent as is
	 * @param target the request target, sent as is
	 * @param headers header lines ({@code Name: value}), sent as is
	 * @param body the body; a {@code Content-Length} is added when it is not empty
	 * @return the response
	 */
	public static Response send(int port, String method, String target, Map<String, String> headers, byte[] body) {
		StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		head.append("Host: 127.0.0.1:").append(port).append("\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		if (body.length > 0) {
			head.append("Content-Length: ").append(body.length).append("\r\n");
		}
		head.append("Connection: close\r\n\r\n");
		try (Socket socket = new Socket(FreePorts.LOOPBACK, port)) {
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
			out.flush();
			return Response.parse(socket.getInputStream().readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A request without a body. */
	public static Response send(int port, String method, String target, Map<String, String> headers) {
		return send(port, method, target, headers, new byte[0]);
	}

	/**
	 * Sends a request without a body and reads only the head of the response, then closes
	 * the connection: for answers that do not end, a switch of protocols ({@code 101}) or
	 * an event stream. The response's body is empty.
	 * @param port the server's port on {@code 127.0.0.1}
	 * @param method the method, sent as is
	 * @param target the request target, sent as is
	 * @param headers header lines ({@code Name: value}), sent as is
	 * @return the response's status and headers
	 */
	public static Response sendForHead(int port, String method, String target, Map<String, String> headers) {
		StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		head.append("Host: 127.0.0.1:").append(port).append("\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("\r\n");
		try (Socket socket = new Socket(FreePorts.LOOPBACK, port)) {
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			int matched = 0;
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					break;
				}
				received.write(b);
				matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			Response response = Response.parse(received.toByteArray());
			return new Response(response.status(), response.headers(), "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** These headers and one more (or another value of one of them). */
	public static Map<String, String> with(Map<String, String> headers, String name, String value) {
		Map<String, String> all = new LinkedHashMap<>(headers);
		all.put(name, value);
		return all;
	}

	/**
	 * A response.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body, de-chunked, as UTF-8
	 */
	public record Response(int status, Map<String, String> headers, String body) {

		/** A header's value, by its name in any case, or {@code null}. */
		public @Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		/**
		 * Whether this is an RFC 9457 problem detail ({@code application/problem+json})
		 * of this status with this Herald error code.
		 */
		public boolean isProblem(int status, String code) {
			String type = header("Content-Type");
			return this.status == status && type != null && type.startsWith("application/problem+json")
					&& this.body.contains("\"code\":\"" + code + "\"");
		}

		static Response parse(byte[] raw) throws IOException {
			String text = new String(raw, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IOException("No complete response head in: " + text);
			}
			String[] lines = text.substring(0, end).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).strip());
			}
			byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = dechunk(new ByteArrayInputStream(body));
			}
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
		}

		private static byte[] dechunk(InputStream in) throws IOException {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			while (true) {
				StringBuilder size = new StringBuilder();
				for (int c = in.read(); c != '\n'; c = in.read()) {
					if (c < 0) {
						return out.toByteArray();
					}
					if (c != '\r') {
						size.append((char) c);
					}
				}
				int semicolon = size.indexOf(";");
				int length = Integer.parseInt((semicolon < 0) ? size.toString() : size.substring(0, semicolon), 16);
				if (length == 0) {
					return out.toByteArray();
				}
				out.write(in.readNBytes(length));
				in.readNBytes(2);
			}
		}

	}

}
