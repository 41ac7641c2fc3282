package io.herald.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;

import java.io.IOException;
import java.util.function.ToLongFunction;

/**
 * Caps request bodies of the public API: {@code 413} at once for a declared
 * {@code Content-Length} over the limit, and a {@link PayloadTooLargeException} (answered
 * with {@code 413}) as soon as a body without one grows past it, so an endless chunked
 * body cannot fill memory. Runs after the API key check, so an unauthenticated body is
 * never read. Each service registers one as a bean, with its limit per request.
 */
public class BodyLimitFilter extends ApiRequestFilter implements Ordered {

	private final ToLongFunction<HttpServletRequest> limits;

	private final ProblemWriter problems;

	/**
	 * @param limits the largest body, in bytes, a request may have
	 * @param problems writes the {@code 413}
	 */
	public BodyLimitFilter(ToLongFunction<HttpServletRequest> limits, ProblemWriter problems) {
		this.limits = limits;
		this.problems = problems;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = this.limits.applyAsLong(request);
		if (request.getContentLengthLong() > limit) {
			this.problems.write(response,
					ErrorCode.PAYLOAD_TOO_LARGE.problem("The body is larger than " + limit + " bytes."));
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long read;

		LimitedInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws PayloadTooLargeException {
			this.read += n;
			if (this.read > this.limit) {
				throw new PayloadTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
