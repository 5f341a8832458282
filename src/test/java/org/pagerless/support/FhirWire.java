package org.pagerless.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.restassured.specification.RequestSpecification;

/**
 * The FHIR API as a client system uses it: resources built with HAPI's R4 model and sent as application/fhir+json;
 * answers parsed with HAPI's parser and checked by HAPI's R4 instance validator (base R4), made once per test run.
 */
public final class FhirWire {
    public static final String JSON = "application/fhir+json";
    private static final FhirContext CONTEXT = FhirContext.forR4Cached();
    private static FhirValidator validator;

    private FhirWire() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, Api.PASSWORD).contentType(JSON).accept(JSON);
    }

    public static String json(IBaseResource resource) {
        return CONTEXT.newJsonParser().encodeResourceToString(resource);
    }

    public static <T extends IBaseResource> T parse(Class<T> type, String body) {
        return body.trim().startsWith("<") ? CONTEXT.newXmlParser().parseResource(type, body)
                : CONTEXT.newJsonParser().parseResource(type, body);
    }

    /** Fails unless the body is a resource HAPI's R4 validator finds no error in. */
    public static void assertValid(String body) {
        List<String> errors = validator().validateWithResult(body).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(SingleValidationMessage::toString).toList();
        assertThat(errors).as("FHIR R4 validation errors").isEmpty();
    }

    private static synchronized FhirValidator validator() {
        if (validator == null) {
            ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(CONTEXT),
                    new CommonCodeSystemsTerminologyService(CONTEXT),
                    new InMemoryTerminologyServerValidationSupport(CONTEXT),
                    new SnapshotGeneratingValidationSupport(CONTEXT));
            validator = CONTEXT.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        }
        return validator;
    }
}
