package org.pagerless.delivery;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks a Twilio webhook: {@link TwilioSignature} answers 403 before the method runs unless the request carries a
 * valid {@code X-Twilio-Signature} over our public URL and its form parameters. Every {@code /twilio} endpoint has it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TwilioSigned {
}
