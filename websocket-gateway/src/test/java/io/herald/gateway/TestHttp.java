package io.herald.gateway;

import io.herald.events.JsonCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP client of the gateway's API, as an app would use it: JSON in, JSON or problems
 * out.
 */
public final class TestHttp {

	/** HTTP/1.1, as browsers speak to the gateway (no h2c upgrade attempts). */
	public static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	public TestHttp(int port) {
		this.port = port;
	}

	/**
	 * A request to the gateway, with the token as {@code Authorization: Bearer} when
	 * there is one.
	 */
	public HttpRequest.Builder request(String pathAndQuery, @Nullable String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + pathAndQuery))
			.timeout(TIMEOUT);
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	public Response get(String pathAndQuery, @Nullable String token) {
		return send(request(pathAndQuery, token).GET());
	}

	/** Posts a JSON body. */
	public Response post(String path, @Nullable String token, String json) {
		return post(path, token, "application/json", json);
	}

	public Response post(String path, @Nullable String token, String contentType, String body) {
		Response response = send(request(path, token).header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		String shown = (body.length() > 60) ? body.substring(0, 60) + "..." : body;
		return new Response(response.request() + " " + contentType + " '" + shown + "'", response.status(),
				response.headers(), response.body());
	}

	/** Posts a JSON body without declaring its length: the client sends it chunked. */
	public Response postChunked(String path, @Nullable String token, String json) {
		Flow.Publisher<ByteBuffer> chunks = (subscriber) -> {
			SubmissionPublisher<ByteBuffer> publisher = new SubmissionPublisher<>();
			publisher.subscribe(subscriber);
			byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
			for (int offset = 0; offset < bytes.length; offset += 1024) {
				publisher.submit(ByteBuffer.wrap(bytes, offset, Math.min(1024, bytes.length - offset)));
			}
			publisher.close();
		};
		return send(request(path, token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.fromPublisher(chunks)));
	}

	public static Response send(HttpRequest.Builder request) {
		HttpRequest built = request.build();
		try {
			HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
			return new Response(
					built.method() + " " + built.uri().getRawPath()
							+ ((built.uri().getRawQuery() != null) ? "?" + built.uri().getRawQuery() : ""),
					response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 *
	 * @param request the request it answers, for assertion messages
	 * @param status the status code
	 * @param headers the headers
	 * @param body the body as text
	 */
	public record Response(String request, int status, HttpHeaders headers, String body) {

		public JsonNode json() {
			return JsonCodec.MAPPER.readTree(this.body);
		}

		/** The body as JSON, asserting a {@code 200}. */
		public JsonNode ok() {
			assertThat(this.status).as("status of %s answered with %s", this.request, this.body).isEqualTo(200);
			return json();
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse("");
		}

		/** Asserts an RFC 9457 problem detail of the error catalogue (docs/errors.md). */
		public Response assertProblem(int status, String code) {
			assertThat(this.status).as("status of %s answered with %s", this.request, this.body).isEqualTo(status);
			assertThat(header("Content-Type")).as("Content-Type of %s", this.request)
				.startsWith("application/problem+json");
			JsonNode problem = json();
			assertThat(problem.get("code").stringValue()).as("code of %s answered with %s", this.request, this.body)
				.isEqualTo(code);
			assertThat(problem.get("type").stringValue()).isEqualTo("urn:herald:problem:" + code);
			assertThat(problem.get("status").intValue()).isEqualTo(status);
			assertThat(problem.get("detail").stringValue()).isNotBlank();
			return this;
		}

		/** Asserts a {@code 401 invalid_token} that tells how to authenticate. */
		public Response assertInvalidToken() {
			assertProblem(401, "invalid_token");
			assertThat(header("WWW-Authenticate")).as("WWW-Authenticate of %s", this.request)
				.startsWith("Bearer")
				.contains("error=\"invalid_token\"");
			return this;
		}

	}

}
