package io.herald.gateway.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much of its heap a gateway keeps free once a collection is over
 * ({@link HeapFootprint}): a reconnect storm grows the heap, and with the JVM's defaults
 * (40 and 70 %) most of that growth is never given back, so a node would be sized for its
 * worst minute. Set only where the JVM was not started with {@code -XX:MinHeapFreeRatio}
 * or {@code -XX:MaxHeapFreeRatio}.
 *
 * @param minFreeRatio the least free share, in percent, the heap grows to keep after a
 * collection
 * @param maxFreeRatio the most free share, in percent, the heap keeps after a collection
 * before it shrinks and gives the rest back to the operating system
 */
@Validated
@ConfigurationProperties("herald.gateway.heap")
public record HeapProperties(@DefaultValue("10") @Min(0) @Max(100) int minFreeRatio,
		@DefaultValue("30") @Min(0) @Max(100) int maxFreeRatio) {
}
