package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class Http1ConnectionsTests {

	@Test
	void readsAResponseWithContentLengthAndLeavesTheNextOne() throws IOException {
		var in = stream("HTTP/1.1 202 \r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"a\"}"
				+ "HTTP/1.1 429 \r\ncontent-length: 0\r\n\r\n");
		assertThat(Http1Connections.readResponse(in)).isEqualTo(new Http1Connections.Response(202, false, "{\"a\"}"));
		assertThat(Http1Connections.readResponse(in).status()).isEqualTo(429);
	}

	@Test
	void readsAChunkedResponse() throws IOException {
		var in = stream("HTTP/1.1 207 \r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n1\r\n}\r\n0\r\n\r\n"
				+ "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
		assertThat(Http1Connections.readResponse(in)).isEqualTo(new Http1Connections.Response(207, false, "{\"a\"}"));
		assertThat(Http1Connections.readResponse(in).status()).isEqualTo(200);
	}

	@Test
	void noticesThatTheServerClosesTheConnection() throws IOException {
		var in = stream("HTTP/1.1 202 \r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
		assertThat(Http1Connections.readResponse(in).close()).isTrue();
	}

	@Test
	void failsOnATruncatedResponse() {
		assertThatIOException().isThrownBy(() -> Http1Connections.readResponse(stream("HTTP/1.1 202 \r\nContent-")));
		assertThatIOException().isThrownBy(() -> Http1Connections.readResponse(stream("garbage\r\n")));
	}

	private static ByteArrayInputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
	}

}
