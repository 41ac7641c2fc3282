package io.herald.infra.sandbox;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;

/**
 * A google-http-client transport that sends firebase-admin's requests for
 * {@value #FCM_ROOT} to a sandbox instead. firebase-admin has no root URL setting for
 * FCM, so the rewrite happens where connections are opened.
 */
final class FirebaseSandboxTransport {

	static final String FCM_ROOT = "https://fcm.googleapis.com";

	private FirebaseSandboxTransport() {
	}

	static HttpTransport to(String baseUrl) {
		return new NetHttpTransport.Builder().setConnectionFactory((url) -> open(url, baseUrl)).build();
	}

	private static HttpURLConnection open(URL url, String baseUrl) throws IOException {
		String target = url.toString();
		if (target.startsWith(FCM_ROOT)) {
			target = baseUrl + target.substring(FCM_ROOT.length());
		}
		return (HttpURLConnection) URI.create(target).toURL().openConnection();
	}

}
