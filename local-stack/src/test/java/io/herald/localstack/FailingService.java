package io.herald.localstack;

/**
 * Stands in for a misconfigured service in tests: it exits at once with an error.
 */
public final class FailingService {

	private FailingService() {
	}

	public static void main(String[] args) {
		System.out.println("boom: missing configuration");
		System.exit(1);
	}

}
