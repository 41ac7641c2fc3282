package io.herald.delivery;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls a delivery service's actuator endpoints, as an operator would, with the operator
 * token.
 */
public final class Actuator {

	/** The operator token whose hash the tests' configuration holds. */
	public static final String OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	public Actuator(int port) {
		this.port = port;
	}

	public HttpResponse<String> get(String path) {
		return send(
				HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + OPERATOR_TOKEN).GET().build());
	}

	public HttpResponse<String> post(String path, String json) {
		return post(path, json, OPERATOR_TOKEN);
	}

	/** Posts with another operator token, or none if {@code token} is {@code null}. */
	public HttpResponse<String> post(String path, String json, @Nullable String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
