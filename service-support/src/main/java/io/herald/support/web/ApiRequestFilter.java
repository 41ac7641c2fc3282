package io.herald.support.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A filter for every request but those to {@link PublicPaths}: deny by default. Whether a
 * request is public is decided by its normalized path, the one handlers are chosen by, so
 * no spelling of a protected path (path parameters, encoded characters, dot segments) can
 * skip the filter.
 */
public abstract class ApiRequestFilter extends OncePerRequestFilter {

	private PublicPaths publicPaths = PublicPaths.of();

	/** Sets the paths this filter leaves alone; the operations endpoints when not set. */
	@Autowired(required = false)
	public void setPublicPaths(PublicPaths publicPaths) {
		this.publicPaths = publicPaths;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.publicPaths.isPublic(normalizedPath(request));
	}

	/**
	 * The request's path as the servlet container normalized and decoded it (servlet path
	 * and path info), the path handlers are chosen by.
	 */
	public static String normalizedPath(HttpServletRequest request) {
		String pathInfo = request.getPathInfo();
		return (pathInfo != null) ? request.getServletPath() + pathInfo : request.getServletPath();
	}

}
