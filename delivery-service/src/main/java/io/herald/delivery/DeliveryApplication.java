package io.herald.delivery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The delivery service: consumes the push, email and SMS lanes and hands every
 * notification to the providers of its channel, exactly once as the user sees it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeliveryApplication {

	public static void main(String[] args) {
		SpringApplication.run(DeliveryApplication.class, args);
	}

}
