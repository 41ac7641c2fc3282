package io.herald.support.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpResponse;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Map;

/**
 * Writes a problem detail straight to a servlet response, for filters that answer before
 * Spring MVC is involved. The JSON is the same as the MVC layer's.
 */
public class ProblemWriter {

	private final JsonMapper mapper;

	public ProblemWriter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/** Writes the problem as the whole response. */
	public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		this.mapper.writeValue(response.getOutputStream(), json(problem));
	}

	/**
	 * Writes the problem as the whole response, for code that answers through Spring's
	 * {@link ServerHttpResponse} (a CORS processor, a WebSocket handshake); headers
	 * already set on it are kept.
	 */
	public void write(ServerHttpResponse response, ProblemDetail problem) throws IOException {
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getBody().write(this.mapper.writeValueAsBytes(json(problem)));
		response.flush();
	}

	/**
	 * The problem as the JSON body of a response, for code that answers outside the
	 * servlet stack (the gateway's WebSocket upgrades).
	 */
	public byte[] bytes(ProblemDetail problem) {
		return this.mapper.writeValueAsBytes(json(problem));
	}

	private static Map<String, Object> json(ProblemDetail problem) {
		return Problems.members(problem);
	}

}
