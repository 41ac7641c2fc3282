package io.herald.ingestion.ingest;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests {@link SingleEventFilter} answers itself: only those whose answer Spring
 * MVC could not negotiate otherwise.
 */
class SingleEventFilterTests {

	private final SingleEventFilter filter = new SingleEventFilter(null, null, null);

	@Test
	void takesAJsonPostToTheEventsPathWhateverTheJsonParameters() {
		assertThat(takes("POST", "/v1/events", "application/json", null)).isTrue();
		assertThat(takes("POST", "/v1/events", "Application/JSON", null)).isTrue();
		assertThat(takes("POST", "/v1/events", "application/json; charset=UTF-8", null)).isTrue();
	}

	@Test
	void takesOnlyAnAcceptThatLeavesNoChoiceButJson() {
		assertThat(takes("POST", "/v1/events", "application/json", "")).isTrue();
		assertThat(takes("POST", "/v1/events", "application/json", "*/*")).isTrue();
		assertThat(takes("POST", "/v1/events", "application/json", " application/json ")).isTrue();
		assertThat(takes("POST", "/v1/events", "application/json", "application/json, application/problem+json"))
			.isTrue();
		assertThat(takes("POST", "/v1/events", "application/json", "Application/JSON,application/problem+json"))
			.isTrue();
		assertThat(takes("POST", "/v1/events", "application/json", "application/problem+json")).isFalse();
		assertThat(takes("POST", "/v1/events", "application/json", "application/problem+json, application/json"))
			.isFalse();
		assertThat(takes("POST", "/v1/events", "application/json", "application/json, */*;q=0.1")).isFalse();
		assertThat(takes("POST", "/v1/events", "application/json", "text/html")).isFalse();
	}

	@Test
	void leavesOtherMethodsPathsAndBodiesToSpringMvc() {
		assertThat(takes("GET", "/v1/events", null, null)).isFalse();
		assertThat(takes("PUT", "/v1/events", "application/json", null)).isFalse();
		assertThat(takes("POST", "/v1/events:batch", "application/json", null)).isFalse();
		assertThat(takes("POST", "/v1/events/", "application/json", null)).isFalse();
		assertThat(takes("POST", "/v1//events", "application/json", null)).isFalse();
		assertThat(takes("POST", "/v1/%65vents", "application/json", null)).isFalse();
		assertThat(takes("POST", "/v1/events;x=1", "application/json", null)).isFalse();
		assertThat(takes("POST", "/v1/events", null, null)).isFalse();
		assertThat(takes("POST", "/v1/events", "text/plain", null)).isFalse();
		assertThat(takes("POST", "/v1/events", "application/problem+json", null)).isFalse();
		assertThat(takes("POST", "/v1/events", "not a type", null)).isFalse();
	}

	private boolean takes(String method, String uri, String contentType, String accept) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
		if (contentType != null) {
			request.setContentType(contentType);
		}
		if (accept != null) {
			request.addHeader("Accept", accept);
		}
		return !this.filter.shouldNotFilter(request);
	}

}
