package io.herald.support.web;

import java.util.ArrayList;
import java.util.List;

/**
 * The paths the API filters (authentication, body limit, request counting) leave alone;
 * every other path passes them, whether a handler serves it or not. Paths are compared in
 * their normalized, decoded form (the servlet path), never as sent. The operations
 * endpoints ({@code /actuator} and below) and the API documents
 * ({@code /v1/openapi.json}, {@code /v1/asyncapi.json} and their {@code .yaml}) are
 * always public; a service declares a bean of its own to add more, for example static
 * files it serves.
 *
 * @param paths each an exact path or, ending with {@code /}, every path below it
 */
public record PublicPaths(List<String> paths) {

	private static final List<String> ALWAYS = List.of("/actuator", "/actuator/", "/v1/openapi.json",
			"/v1/openapi.yaml", "/v1/asyncapi.json", "/v1/asyncapi.yaml");

	public PublicPaths {
		for (String path : paths) {
			if (!path.startsWith("/")) {
				throw new IllegalArgumentException("A public path must start with '/': " + path);
			}
		}
		paths = List.copyOf(paths);
	}

	/** The paths that are always public and the given ones. */
	public static PublicPaths of(String... paths) {
		List<String> all = new ArrayList<>(ALWAYS);
		all.addAll(List.of(paths));
		return new PublicPaths(all);
	}

	/** Whether a normalized path is public. */
	public boolean isPublic(String path) {
		for (String candidate : this.paths) {
			if (candidate.endsWith("/") ? path.startsWith(candidate) : path.equals(candidate)) {
				return true;
			}
		}
		return false;
	}

}
