package io.herald.support.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PublicPathsTests {

	@Test
	void operationsEndpointsAndTheApiDocumentsAreAlwaysPublic() {
		PublicPaths paths = PublicPaths.of();
		assertThat(paths.isPublic("/v1/openapi.json")).isTrue();
		assertThat(paths.isPublic("/v1/openapi.yaml")).isTrue();
		assertThat(paths.isPublic("/v1/openapi.json/x")).isFalse();
		assertThat(paths.isPublic("/v1/asyncapi.json")).isTrue();
		assertThat(paths.isPublic("/v1/asyncapi.yaml")).isTrue();
		assertThat(paths.isPublic("/actuator")).isTrue();
		assertThat(paths.isPublic("/actuator/health/readiness")).isTrue();
		assertThat(paths.isPublic("/actuatorx")).isFalse();
	}

	@Test
	void everyOtherPathIsProtected() {
		PublicPaths paths = PublicPaths.of("/herald-client.js", "/demo/");
		assertThat(paths.isPublic("/demo/inbox.html")).isTrue();
		assertThat(paths.isPublic("/herald-client.js")).isTrue();
		assertThat(paths.isPublic("/herald-client.jsx")).isFalse();
		assertThat(paths.isPublic("/demo")).isFalse();
		assertThat(paths.isPublic("/v1/events")).isFalse();
		assertThat(paths.isPublic("/v1")).isFalse();
		assertThat(paths.isPublic("/")).isFalse();
		assertThat(paths.isPublic("/anything")).isFalse();
	}

	@Test
	void rejectsPathsWithoutLeadingSlash() {
		assertThatIllegalArgumentException().isThrownBy(() -> PublicPaths.of("actuator/"));
	}

}
