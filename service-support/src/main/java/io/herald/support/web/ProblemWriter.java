package io.herald.support.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Map;

/**
 * Writes a problem detail straight to a servlet response, for filters that answer before
 * Spring MVC is involved. The JSON is the same as the MVC layer's.
 */
@Component
public class ProblemWriter {

	private final JsonMapper mapper;

	public ProblemWriter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/** Writes the problem as the whole response. */
	public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		Map<String, Object> json = Problems.members(problem);
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		this.mapper.writeValue(response.getOutputStream(), json);
	}

}
