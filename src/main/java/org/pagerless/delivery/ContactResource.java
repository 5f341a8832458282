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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * The signed-in person's contact method for texts: their mobile number and whether texts are on (off after
 * they replied STOP, or turned them off here). Admins may read anyone's with {@code ?staff=}.
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

    /**
     * A person's contact method. {@code phone} is null when there is none; {@code phoneSource} is {@code self} when
     * they set it here, {@code staff-record} when it is the number on their staff record; {@code sms} is false
     * after STOP (reply START or set it true to turn texts back on).
     */
    public record Contact(String staffId, String phone, String phoneSource, boolean sms) {
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
            + "is refused with 400 naming the field, and nothing changes.")
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

    private Contact contact(String staffId) throws SQLException {
        Optional<Contacts.Phone> phone = contacts.phone(staffId);
        return new Contact(staffId, phone.map(Contacts.Phone::number).orElse(null),
                phone.map(p -> p.source() == Contacts.Source.SELF ? "self" : "staff-record").orElse(null),
                phone.isPresent() && !optOuts.optedOut(phone.get().number()));
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
