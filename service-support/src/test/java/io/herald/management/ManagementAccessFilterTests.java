package io.herald.management;

import java.util.List;

import io.herald.support.apikey.ApiKeyRegistry;
import io.herald.support.web.ProblemWriter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ManagementAccessFilterTests {

	private static final String OPERATOR_TOKEN = "operator-token-0123456789abcdef0123456789";

	private static final String INTERNAL_TOKEN = "internal-token-0123456789abcdef0123456789";

	private final ManagementAccessFilter filter = filter(ApiKeyRegistry.sha256(OPERATOR_TOKEN), INTERNAL_TOKEN);

	@Test
	void probesAndScrapesNeedNoToken() throws Exception {
		for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/info",
				"/actuator/prometheus")) {
			assertThat(send(this.filter, "GET", path, null, null).getStatus()).as(path).isEqualTo(200);
		}
	}

	@Test
	void writeOperationWithoutTheOperatorTokenIsUnauthorized() throws Exception {
		MockHttpServletResponse response = send(this.filter, "POST", "/actuator/lanes/herald-delivery-email-bulk", null,
				null);
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"code\":\"operator_unauthorized\"");
		assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
	}

	@Test
	void writeOperationWithAWrongOperatorTokenIsForbidden() throws Exception {
		MockHttpServletResponse response = send(this.filter, "POST", "/actuator/lanes/x", "Bearer nope", null);
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentAsString()).contains("\"code\":\"operator_forbidden\"");
	}

	@Test
	void writeOperationWithTheOperatorTokenPasses() throws Exception {
		assertThat(send(this.filter, "POST", "/actuator/lanes/x", "Bearer " + OPERATOR_TOKEN, null).getStatus())
			.isEqualTo(200);
	}

	@Test
	void everyOtherEndpointAndWritesToOpenOnesNeedTheOperatorToken() throws Exception {
		assertThat(send(this.filter, "GET", "/actuator/lanes", null, null).getStatus()).isEqualTo(401);
		assertThat(send(this.filter, "GET", "/actuator", null, null).getStatus()).isEqualTo(401);
		assertThat(send(this.filter, "POST", "/actuator/health", null, null).getStatus()).isEqualTo(401);
		assertThat(send(this.filter, "DELETE", "/actuator/prometheus", null, null).getStatus()).isEqualTo(401);
	}

	@Test
	void withoutAConfiguredOperatorTokenOperatorActionsAreRefused() throws Exception {
		ManagementAccessFilter unconfigured = filter(null, INTERNAL_TOKEN);
		MockHttpServletResponse response = send(unconfigured, "POST", "/actuator/lanes/x", "Bearer anything", null);
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentAsString()).contains("No operator token is configured");
		assertThat(send(unconfigured, "GET", "/actuator/health", null, null).getStatus()).isEqualTo(200);
	}

	@Test
	void internalEndpointNeedsTheSharedTokenNotTheOperatorOne() throws Exception {
		String path = "/actuator/userstate/acme/u-1";
		assertThat(send(this.filter, "GET", path, null, null).getStatus()).isEqualTo(401);
		assertThat(send(this.filter, "GET", path, "Bearer " + OPERATOR_TOKEN, null).getStatus()).isEqualTo(401);
		assertThat(send(this.filter, "GET", path, null, "herald-internal").getStatus()).isEqualTo(403);
		assertThat(send(this.filter, "GET", path, null, INTERNAL_TOKEN).getStatus()).isEqualTo(200);
	}

	@Test
	void internalEndpointWithoutAConfiguredTokenRefusesEveryRequest() throws Exception {
		ManagementAccessFilter off = filter(ApiKeyRegistry.sha256(OPERATOR_TOKEN), null);
		MockHttpServletResponse response = send(off, "GET", "/actuator/userstate/acme/u-1", null, "anything");
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentAsString()).contains("no shared token configured");
	}

	@Test
	void pathsOutsideTheActuatorPassUntouched() throws Exception {
		assertThat(send(this.filter, "POST", "/v1/events", null, null).getStatus()).isEqualTo(200);
		assertThat(send(this.filter, "GET", "/actuatorx", null, null).getStatus()).isEqualTo(200);
	}

	@Test
	void operatorTokenHashThatIsNoHashIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ManagementProperties("CHANGE-ME"))
			.withMessageContaining("herald.management.operator-token-sha256 must be the SHA-256");
		assertThat(new ManagementProperties(" ").operatorTokenSha256()).isNull();
	}

	private static ManagementAccessFilter filter(@Nullable String operatorTokenSha256, @Nullable String internalToken) {
		return new ManagementAccessFilter(new ManagementProperties(operatorTokenSha256), "/actuator",
				List.of(new InternalEndpoint("userstate", internalToken)),
				new ProblemWriter(JsonMapper.builder().build()));
	}

	private static MockHttpServletResponse send(ManagementAccessFilter filter, String method, String path,
			@Nullable String authorization, @Nullable String internalToken) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		if (internalToken != null) {
			request.addHeader(InternalEndpoint.HEADER, internalToken);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		return response;
	}

}
