package io.herald.gateway.session;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeChecksTests {

	private final UpgradeChecks checks = new UpgradeChecks(List.of("https://app.example.com"));

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void aWebSocketUpgradeFromAnAllowedOriginOrNoneGoesOn() {
		assertThat(refusal(upgrade())).isNull();
		MockHttpServletRequest fromApp = upgrade();
		fromApp.addHeader("Origin", "https://app.example.com");
		assertThat(refusal(fromApp)).isNull();
		MockHttpServletRequest keepAlive = upgrade();
		keepAlive.removeHeader("Connection");
		keepAlive.addHeader("Connection", "keep-alive, Upgrade");
		assertThat(refusal(keepAlive)).isNull();
	}

	@Test
	void whatIsNoWebSocketUpgradeIsAnInvalidRequest() {
		for (String header : List.of("Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version")) {
			MockHttpServletRequest request = upgrade();
			request.removeHeader(header);
			assertThat(refusal(request)).as(header)
				.satisfies((problem) -> assertThat(problem.getProperties()).containsEntry("code", "invalid_request"));
		}
	}

	@Test
	void anotherVersionIsRefusedNamingTheOneSpoken() {
		MockHttpServletRequest request = upgrade();
		request.removeHeader("Sec-WebSocket-Version");
		request.addHeader("Sec-WebSocket-Version", "8");
		ServletServerHttpResponse answer = new ServletServerHttpResponse(this.response);
		ProblemDetail problem = this.checks.refusal(new ServletServerHttpRequest(request), answer);
		assertThat(problem.getStatus()).isEqualTo(400);
		assertThat(answer.getHeaders().getFirst("Sec-WebSocket-Version")).isEqualTo("13");
	}

	@Test
	void anotherMethodIsNotAllowed() {
		MockHttpServletRequest request = upgrade();
		request.setMethod("POST");
		ServletServerHttpResponse answer = new ServletServerHttpResponse(this.response);
		ProblemDetail problem = this.checks.refusal(new ServletServerHttpRequest(request), answer);
		assertThat(problem.getProperties()).containsEntry("code", "method_not_allowed");
		assertThat(answer.getHeaders().getFirst("Allow")).isEqualTo("GET");
	}

	@Test
	void anOriginThatIsNotAllowedIsRefused() {
		MockHttpServletRequest request = upgrade();
		request.addHeader("Origin", "https://elsewhere.example.com");
		ProblemDetail problem = refusal(request);
		assertThat(problem.getStatus()).isEqualTo(403);
		assertThat(problem.getProperties()).containsEntry("code", "origin_not_allowed");
	}

	private ProblemDetail refusal(MockHttpServletRequest request) {
		return this.checks.refusal(new ServletServerHttpRequest(request), new ServletServerHttpResponse(this.response));
	}

	private static MockHttpServletRequest upgrade() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/ws");
		request.setServerName("gateway.example.com");
		request.addHeader("Upgrade", "websocket");
		request.addHeader("Connection", "Upgrade");
		request.addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
		request.addHeader("Sec-WebSocket-Version", "13");
		return request;
	}

}
