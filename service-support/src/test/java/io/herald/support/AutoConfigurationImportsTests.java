package io.herald.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.classreading.MetadataReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module's structure: every auto-configuration is listed in the imports file, nothing
 * else is, and none scans for components.
 */
class AutoConfigurationImportsTests {

	private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	@Test
	void everyAutoConfigurationIsListedAndNothingElse() throws IOException {
		assertThat(listed()).containsExactlyInAnyOrderElementsOf(autoConfigurations());
	}

	@Test
	void noAutoConfigurationScansForComponents() throws ClassNotFoundException {
		for (String name : autoConfigurations()) {
			Class<?> type = Class.forName(name);
			assertThat(AnnotatedElementUtils.hasAnnotation(type, ComponentScan.class)).as(name).isFalse();
		}
	}

	private static List<String> listed() throws IOException {
		try (InputStream in = new ClassPathResource(IMPORTS).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
	}

	private static Set<String> autoConfigurations() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			// Every auto-configuration, whether its conditions match here or not.
			@Override
			protected boolean isCandidateComponent(MetadataReader reader) {
				return reader.getAnnotationMetadata().hasAnnotation(AutoConfiguration.class.getName());
			}

		};
		return Set.of("io.herald.support", "io.herald.management")
			.stream()
			.flatMap((base) -> scanner.findCandidateComponents(base).stream())
			.map(BeanDefinition::getBeanClassName)
			.collect(Collectors.toSet());
	}

}
