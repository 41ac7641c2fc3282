package io.herald.infra.contract;

import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.Set;
import java.util.TreeSet;

/**
 * The operations a Spring MVC application serves under {@code /v1/}, as
 * {@link OpenApiDocument#operations()} names them ({@code METHOD /path/{variable}}), so
 * that a test can tell that every one is documented and every documented one exists:
 * every request mapping but the API documents themselves, and every URL mapping (a
 * WebSocket endpoint) as {@code GET}. Needs Spring MVC, an optional dependency of this
 * module.
 */
public final class ServedOperations {

	private ServedOperations() {
	}

	/** The operations the application serves under {@code /v1/}. */
	public static Set<String> of(ApplicationContext context) {
		Set<String> operations = new TreeSet<>();
		context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
			.getHandlerMethods()
			.keySet()
			.forEach((info) -> info.getPatternValues()
				.stream()
				.filter(ServedOperations::isApi)
				.forEach((pattern) -> info.getMethodsCondition()
					.getMethods()
					.forEach((method) -> operations.add(method.name() + " " + pattern))));
		context.getBeansOfType(AbstractUrlHandlerMapping.class)
			.values()
			.forEach((mapping) -> mapping.getHandlerMap()
				.keySet()
				.stream()
				.filter(ServedOperations::isApi)
				.forEach((pattern) -> operations.add("GET " + pattern)));
		return operations;
	}

	private static boolean isApi(String pattern) {
		return pattern.startsWith("/v1/") && !pattern.startsWith("/v1/openapi.")
				&& !pattern.startsWith("/v1/asyncapi.");
	}

}
