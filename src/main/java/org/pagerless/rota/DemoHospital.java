package org.pagerless.rota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.pagerless.platform.DemoSeed;
import org.pagerless.platform.Jdbc;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Seeds "St Elsewhere General": six wards, ~40 staff, on-call roles with bleeps, and a rota of day and
 * night shifts from a week ago to two weeks ahead (Europe/London, DST-safe). Runs in standalone mode
 * and tests only ({@code pagerless.demo.seed=true}), and only into an empty database.
 */
@ApplicationScoped
public class DemoHospital {
    private static final Logger LOG = Logger.getLogger(DemoHospital.class);
    static final ZoneId LONDON = ZoneId.of("Europe/London");

    /** Pattern for a role: who rotates through it, how many at once, and which shifts are covered. */
    private record Cover(String roleId, List<String> pool, int perShift, boolean days, boolean nights) {
    }

    private static final String[][] WARDS = {
        {"7A", "7A"}, {"7B", "7B"}, {"AMU", "AMU"}, {"SURG3", "Surgical 3"}, {"CARD", "Cardiology"}, {"ED", "ED"}};

    // id, name, specialty, bleep, covered wards (in order of asking)
    private static final String[][] ROLES = {
        {"med-fy1-7a", "Medicine FY1 Ward 7A", "medicine", "2301", "7A"},
        {"med-fy1-7b", "Medicine FY1 Ward 7B", "medicine", "2302", "7B"},
        {"med-fy1-amu", "Medicine FY1 AMU", "medicine", "2303", "AMU"},
        {"card-fy1", "Cardiology FY1", "cardiology", "2304", "CARD"},
        {"med-sho-oncall", "Medical SHO On-Call", "medicine", "2310", "7A,7B,AMU,CARD"},
        {"med-reg-oncall", "Medical Registrar On-Call", "medicine", "2320", ""},
        {"derm-reg", "Dermatology Registrar", "dermatology", "2330", ""},
        {"surg-fy1-oncall", "Surgical FY1 On-Call", "surgery", "2401", "SURG3"},
        {"surg-reg-oncall", "Surgical Registrar On-Call", "surgery", "2420", ""},
        {"ed-reg", "ED Registrar", "emergency medicine", "2501", "ED"},
        {"nic-7a", "Nurse in Charge 7A", "nursing", "3001", ""},
        {"nic-7b", "Nurse in Charge 7B", "nursing", "3002", ""},
        {"nic-amu", "Nurse in Charge AMU", "nursing", "3003", ""},
        {"nic-surg3", "Nurse in Charge Surgical 3", "nursing", "3004", ""},
        {"nic-card", "Nurse in Charge Cardiology", "nursing", "3005", ""},
        {"nic-ed", "Nurse in Charge ED", "nursing", "3006", ""},
        {"han-coord", "Hospital at Night Coordinator", "operations", "3100", ""},
        {"switchboard", "Switchboard", "operations", "3200", ""}};

    // id, display name, grade, app role
    private static final String[][] STAFF = {
        {"tom.reid", "Dr Tom Reid", "FY1", "clinician"}, {"ella.hughes", "Dr Ella Hughes", "FY1", "clinician"},
        {"priya.shah", "Dr Priya Shah", "FY1", "clinician"}, {"ben.cole", "Dr Ben Cole", "FY1", "clinician"},
        {"omar.farah", "Dr Omar Farah", "FY1", "clinician"}, {"lucy.ng", "Dr Lucy Ng", "FY1", "clinician"},
        {"josh.evans", "Dr Josh Evans", "FY1", "clinician"},
        {"amira.khan", "Dr Amira Khan", "SHO", "clinician"}, {"dan.wright", "Dr Dan Wright", "SHO", "clinician"},
        {"sofia.rossi", "Dr Sofia Rossi", "SHO", "clinician"}, {"liam.murphy", "Dr Liam Murphy", "SHO", "clinician"},
        {"zara.ahmed", "Dr Zara Ahmed", "SHO", "clinician"}, {"noah.green", "Dr Noah Green", "SHO", "clinician"},
        {"kate.morgan", "Dr Kate Morgan", "Registrar", "clinician"},
        {"raj.patel", "Dr Raj Patel", "Registrar", "clinician"},
        {"fiona.bell", "Dr Fiona Bell", "Registrar", "clinician"},
        {"harry.lee", "Dr Harry Lee", "FY1", "clinician"}, {"mia.clark", "Dr Mia Clark", "FY1", "clinician"},
        {"david.osei", "Mr David Osei", "Registrar", "clinician"},
        {"anna.kowalski", "Ms Anna Kowalski", "Registrar", "clinician"},
        {"chris.tan", "Dr Chris Tan", "Registrar", "clinician"}, {"leah.adams", "Dr Leah Adams", "Registrar", "clinician"},
        {"nina.berg", "Dr Nina Berg", "Registrar", "clinician"},
        {"mary.jones", "Mary Jones", "Sister", "nurse-in-charge"}, {"paul.smith", "Paul Smith", "Charge Nurse", "nurse-in-charge"},
        {"grace.okafor", "Grace Okafor", "Sister", "nurse-in-charge"}, {"john.doyle", "John Doyle", "Charge Nurse", "nurse-in-charge"},
        {"ruth.ali", "Ruth Ali", "Sister", "nurse-in-charge"}, {"sean.byrne", "Sean Byrne", "Charge Nurse", "nurse-in-charge"},
        {"tina.wood", "Tina Wood", "Sister", "nurse-in-charge"}, {"adam.fox", "Adam Fox", "Charge Nurse", "nurse-in-charge"},
        {"emma.stone", "Emma Stone", "Sister", "nurse-in-charge"}, {"kai.lewis", "Kai Lewis", "Charge Nurse", "nurse-in-charge"},
        {"owen.price", "Owen Price", "Sister", "nurse-in-charge"}, {"jade.hall", "Jade Hall", "Charge Nurse", "nurse-in-charge"},
        {"hana.begum", "Hana Begum", "Site Practitioner", "coordinator"}, {"ian.ross", "Ian Ross", "Site Practitioner", "coordinator"},
        {"sam.patel", "Sam Patel", "Operator", "switchboard"}, {"jo.white", "Jo White", "Operator", "switchboard"},
        {"admin", "Trust Administrator", null, "admin"},
        {"epr", "EPR (integration)", null, "integration"}, {"nurse-call", "Nurse call system (integration)", null, "integration"}};

    private static final List<Cover> ROTA = List.of(
        new Cover("med-fy1-7a", List.of("tom.reid", "ella.hughes"), 1, true, false),
        new Cover("med-fy1-7b", List.of("priya.shah", "ben.cole"), 1, true, false),
        new Cover("med-fy1-amu", List.of("omar.farah", "lucy.ng"), 1, true, false),
        new Cover("card-fy1", List.of("josh.evans"), 1, true, false),
        new Cover("med-sho-oncall", List.of("amira.khan", "dan.wright", "sofia.rossi", "liam.murphy", "zara.ahmed",
                "noah.green"), 2, true, true),
        new Cover("med-reg-oncall", List.of("kate.morgan", "raj.patel", "fiona.bell"), 1, true, true),
        new Cover("surg-fy1-oncall", List.of("harry.lee", "mia.clark"), 1, true, true),
        new Cover("surg-reg-oncall", List.of("david.osei", "anna.kowalski"), 1, true, true),
        new Cover("ed-reg", List.of("chris.tan", "leah.adams", "nina.berg"), 1, true, true),
        new Cover("nic-7a", List.of("mary.jones", "paul.smith"), 1, true, true),
        new Cover("nic-7b", List.of("grace.okafor", "john.doyle"), 1, true, true),
        new Cover("nic-amu", List.of("ruth.ali", "sean.byrne"), 1, true, true),
        new Cover("nic-surg3", List.of("tina.wood", "adam.fox"), 1, true, true),
        new Cover("nic-card", List.of("emma.stone", "kai.lewis"), 1, true, true),
        new Cover("nic-ed", List.of("owen.price", "jade.hall"), 1, true, true),
        new Cover("han-coord", List.of("hana.begum", "ian.ross"), 1, false, true),
        new Cover("switchboard", List.of("sam.patel", "jo.white"), 1, true, true));
    // derm-reg has no rota this fortnight: bleeping it shows the no-holder alert.

    /** Day shift 08:00-20:30, night 20:00-08:30: half an hour of overlap for handover, never a gap. */
    private static final LocalTime DAY_START = LocalTime.of(8, 0);
    private static final LocalTime DAY_END = LocalTime.of(20, 30);
    private static final LocalTime NIGHT_START = LocalTime.of(20, 0);
    private static final LocalTime NIGHT_END = LocalTime.of(8, 30);

    @Inject
    Jdbc jdbc;

    @Inject
    java.time.InstantSource clock;

    @ConfigProperty(name = "pagerless.demo.seed", defaultValue = "false")
    boolean seed;

    void seed(@Observes @Priority(5) StartupEvent start) {
        if (!seed || jdbc.queryOne("select count(*) from site", rs -> rs.getLong(1)).orElseThrow() > 0) {
            return;
        }
        boolean seeded = jdbc.transaction(c -> {
            if (!DemoSeed.claim(c, "hospital")) {
                return false;
            }
            insert(c, LocalDate.ofInstant(clock.instant(), LONDON));
            return true;
        });
        if (seeded) {
            LOG.infof("seeded the demo hospital: %d wards, %d roles, %d staff", WARDS.length, ROLES.length, STAFF.length);
        }
    }

    private void insert(Connection c, LocalDate today) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into site (id, name) values ('seg', 'St Elsewhere General')")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ward (id, site_id, name) values (?, 'seg', ?)")) {
            for (String[] w : WARDS) {
                ps.setString(1, w[0]);
                ps.setString(2, w[1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into staff (id, display_name, grade, app_role, phone) values (?, ?, ?, ?, ?)")) {
            for (int k = 0; k < STAFF.length; k++) {
                String[] s = STAFF[k];
                for (int i = 0; i < 4; i++) {
                    ps.setString(i + 1, s[i]);
                }
                ps.setString(5, demoPhone(k, s[3]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement role = c.prepareStatement(
                "insert into role (id, name, site_id, specialty, bleep) values (?, ?, 'seg', ?, ?)");
             PreparedStatement cover = c.prepareStatement(
                "insert into role_ward (role_id, ward_id, rank) values (?, ?, ?)")) {
            for (String[] r : ROLES) {
                role.setString(1, r[0]);
                role.setString(2, r[1]);
                role.setString(3, r[2]);
                role.setString(4, r[3]);
                role.addBatch();
            }
            role.executeBatch();
            // rank: a ward's own FY1 is asked before the on-call SHO who covers several wards.
            for (String[] r : ROLES) {
                for (String ward : r[4].isEmpty() ? new String[0] : r[4].split(",")) {
                    cover.setString(1, r[0]);
                    cover.setString(2, ward);
                    cover.setInt(3, r[0].startsWith("med-sho") ? 2 : 1);
                    cover.addBatch();
                }
            }
            cover.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into shift (role_id, staff_id, starts_at, ends_at) values (?, ?, ?, ?)")) {
            for (int d = -7; d <= 14; d++) {
                LocalDate date = today.plusDays(d);
                int dayIndex = (int) date.toEpochDay();
                for (Cover cover : ROTA) {
                    int size = cover.pool().size();
                    for (int k = 0; k < cover.perShift(); k++) {
                        if (cover.days()) {
                            String who = cover.pool().get(Math.floorMod(dayIndex * 2 * cover.perShift() + k, size));
                            addShift(ps, cover.roleId(), who, date, DAY_START, date, DAY_END);
                        }
                        if (cover.nights()) {
                            int offset = cover.days() ? cover.perShift() : 0;
                            String who = cover.pool().get(Math.floorMod(dayIndex * 2 * cover.perShift() + offset + k, size));
                            addShift(ps, cover.roleId(), who, date, NIGHT_START, date.plusDays(1), NIGHT_END);
                        }
                    }
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * People get a mobile in Ofcom's drama range (+44 7700 900000-900999, never a real phone); the
     * integration accounts get none. Set here, not in a migration, because the staff rows themselves
     * are seeded here after Flyway has run.
     */
    static String demoPhone(int index, String appRole) {
        return "integration".equals(appRole) || "admin".equals(appRole) ? null : String.format("+447700900%03d", 100 + index);
    }

    private static void addShift(PreparedStatement ps, String role, String staff, LocalDate startDate, LocalTime start,
                                 LocalDate endDate, LocalTime end) throws SQLException {
        ps.setString(1, role);
        ps.setString(2, staff);
        ps.setObject(3, ZonedDateTime.of(startDate, start, LONDON).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC));
        ps.setObject(4, ZonedDateTime.of(endDate, end, LONDON).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC));
        ps.addBatch();
    }
}
