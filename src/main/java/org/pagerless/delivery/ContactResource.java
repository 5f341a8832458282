package org.pagerless.delivery;

import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.Problem;
import org.pagerless.platform.ProblemException;
import org.pagerless.rota.ReferenceData;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * The signed-in person's contact method for texts: their mobile number and whether texts are on (off after
 * they replied STOP, or turned them off here), and confirming a number with a code texted to it before pages go to it
 * ({@link PhoneConfirmations}). Admins may read anyone's with {@code ?staff=}.
 */
@Path("/api/v1/me/contact")
@Tag(name = "Me")
@Authenticated
public class ContactResource {
    /** E.164: a plus, a country code not starting with 0, up to 15 digits in all. */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    @Inject
    Contacts contacts;
    @Inject
    SmsOptOuts optOuts;
    @Inject
    ReferenceData referenceData;
    @Inject
    SecurityIdentity identity;
    @Inject
    InstantSource clock;
    @Inject
    PhoneConfirmations confirmations;

    /**
     * A person's contact method. {@code phone} is null when there is none; {@code phoneSource} is {@code self} when
     * they set it here, {@code staff-record} when it is the number on their staff record; {@code sms} is false
     * after STOP (reply START or set it true to turn texts back on). {@code phoneConfirmed}: whether pages are texted
     * and called to it (its person entered the code texted to it); {@code codeSentAt}: when the code still waiting to
     * be entered was texted, null if none.
     */
    public record Contact(String staffId, String phone, String phoneSource, boolean sms, boolean phoneConfirmed,
                          java.time.Instant codeSentAt) {
    }

    /** The code texted to the person's number, to confirm it. */
    public record Confirmation(String code) {
    }

    /** What to change: either or both. An absent field is left as it is. */
    public record ContactChange(String phone, Boolean sms) {
    }

    @GET
    @Operation(summary = "My contact method", description = "Mobile number for texts, and whether texts are on.")
    public Contact get(@Parameter(description = "Admins only: another person's staff id") @QueryParam("staff")
                       String staff) throws SQLException {
        return contact(whose(staff));
    }

    @PUT
    @Operation(summary = "Change my contact method", description = "phone: an E.164 mobile number (e.g. "
            + "+447700900123); sms: false turns texts off (as STOP does), true turns them back on. Invalid input "
            + "is refused with 400 naming the field, and nothing changes. A new number is texted a code at once: pages "
            + "are texted and called to it only once the code is entered (POST /api/v1/me/contact/confirm).")
    public Contact put(ContactChange change) throws SQLException {
        String staffId = Caller.of(identity).staffId();
        List<Problem.Violation> violations = new ArrayList<>();
        if (change == null || (change.phone() == null && change.sms() == null)) {
            throw new InvalidRequest("phone", "give a phone number, sms on or off, or both");
        }
        String phone = change.phone() == null ? null : change.phone().trim().replaceAll("[\\s()-]", "");
        if (phone != null && !E164.matcher(phone).matches()) {
            violations.add(new Problem.Violation("phone",
                    "must be a mobile number in international (E.164) form, e.g. +447700900123"));
        }
        Optional<String> current = contacts.phoneOf(staffId);
        if (phone == null && change.sms() != null && current.isEmpty()) {
            violations.add(new Problem.Violation("phone", "is required: there is no mobile number on record to text"));
        }
        if (phone != null && violations.isEmpty()) {
            Optional<String> holder = contacts.staffWithPhone(phone);
            if (holder.isPresent() && !holder.get().equals(staffId)) {
                violations.add(new Problem.Violation("phone", "is another person's number"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        if (phone != null && !contacts.set(staffId, phone, clock.instant())) {
            throw new InvalidRequest("phone", "is another person's number");
        }
        if (phone != null) {
            // A new number gets no pages until its code is entered; the code goes now (asked for again if not).
            confirmations.numberChanged(staffId, phone);
            if (!confirmations.confirmed(staffId, phone)) {
                try {
                    confirmations.sendCode(staffId, phone, clock.instant());
                } catch (ProblemException e) {
                    // The number is set; the answer says no code is waiting (codeSentAt null): ask at .../code.
                }
            }
        }
        if (change.sms() != null) {
            String number = phone != null ? phone : current.get();
            if (change.sms()) {
                optOuts.optIn(number);
            } else {
                optOuts.optOut(number, clock.instant());
            }
        }
        return contact(staffId);
    }

    @POST
    @Path("code")
    @Operation(summary = "Text me a code to confirm my mobile number", description = "Pages are texted and called "
            + "only to a confirmed number. 202 with the number and when the code expires (10 min); 400 if there is no "
            + "number; 409 if it is confirmed already; 429 with Retry-After if a code went less than a minute ago; "
            + "503 if texts are not configured or Twilio did not take it.")
    public jakarta.ws.rs.core.Response code() throws SQLException {
        String staffId = Caller.of(identity).staffId();
        String phone = contacts.phoneOf(staffId)
                .orElseThrow(() -> new InvalidRequest("phone", "is required: there is no mobile number to confirm"));
        return jakarta.ws.rs.core.Response.accepted(confirmations.sendCode(staffId, phone, clock.instant())).build();
    }

    @POST
    @Path("confirm")
    @Operation(summary = "Confirm my mobile number with the code texted to it", description = "200 with the contact "
            + "method, now confirmed; 400 naming code when it is wrong (with the tries left), expired or none was sent.")
    public Contact confirm(Confirmation confirmation) throws SQLException {
        String staffId = Caller.of(identity).staffId();
        String phone = contacts.phoneOf(staffId)
                .orElseThrow(() -> new InvalidRequest("phone", "is required: there is no mobile number to confirm"));
        confirmations.confirm(staffId, phone, confirmation == null ? null : confirmation.code(), clock.instant());
        return contact(staffId);
    }

    private Contact contact(String staffId) throws SQLException {
        Optional<Contacts.Phone> phone = contacts.phone(staffId);
        String number = phone.map(Contacts.Phone::number).orElse(null);
        boolean confirmed = number != null && confirmations.confirmed(staffId, number);
        return new Contact(staffId, number,
                phone.map(p -> p.source() == Contacts.Source.SELF ? "self" : "staff-record").orElse(null),
                phone.isPresent() && !optOuts.optedOut(phone.get().number()), confirmed,
                number == null || confirmed ? null : confirmations.lastSent(staffId, number).orElse(null));
    }

    /** The caller, or (admins only) the person named. */
    String whose(String staff) {
        return whose(staff, identity, referenceData);
    }

    static String whose(String staff, SecurityIdentity identity, ReferenceData referenceData) {
        Caller caller = Caller.of(identity);
        if (staff == null || staff.isBlank() || staff.equals(caller.staffId())) {
            return caller.staffId();
        }
        if (!AppRoles.ADMIN.equals(caller.appRole())) {
            throw ProblemException.forbidden("only an admin may read another person's contact and deliveries");
        }
        if (referenceData.hospital().staff(staff).isEmpty()) {
            throw new InvalidRequest("staff", "unknown person '" + staff + "'");
        }
        return staff;
    }
}
