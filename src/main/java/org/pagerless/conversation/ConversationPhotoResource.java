package org.pagerless.conversation;

import java.net.URI;
import java.time.InstantSource;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.pagerless.conversation.PhotoStorage.StoredPhoto;
import org.pagerless.conversation.model.Conversation;
import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;
import org.pagerless.platform.InvalidRequest;
import org.pagerless.platform.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Photos in conversations (a wound, a rash, an ECG strip). A member uploads the image, it is re-encoded so no EXIF or
 * location metadata is kept ({@link PhotoEncoder}), and then posted with a message ({@code "photo": id}). It is served
 * only to those who may read the message that shows it, with {@code Cache-Control: no-store}: no browser cache, proxy
 * or service worker keeps a copy, and it never goes in a push.
 */
@Path("/api/v1/conversations/{id}/photos")
@Tag(name = "Conversations")
@RolesAllowed({AppRoles.SWITCHBOARD, AppRoles.CLINICIAN, AppRoles.NURSE_IN_CHARGE, AppRoles.COORDINATOR, AppRoles.ADMIN})
public class ConversationPhotoResource {
    @Inject
    ConversationResource conversations;
    @Inject
    ConversationMembers members;
    @Inject
    ConversationStore store;
    @Inject
    PhotoStorage photos;
    @Inject
    InstantSource clock;
    @Inject
    SecurityIdentity identity;

    /** Uploads larger than this are refused (the apps scale a photo down before sending it). */
    @ConfigProperty(name = "pagerless.conversation.photo.max-bytes", defaultValue = "8388608")
    int maxBytes;
    /** A photo larger than this on its longer side is scaled down to it. */
    @ConfigProperty(name = "pagerless.conversation.photo.max-side", defaultValue = "2048")
    int maxSide;

    /** The stored photo: post it with a message as {@code {"photo": id}}. */
    public record Uploaded(UUID id, String contentType, int width, int height, int bytes) {
    }

    @POST
    @Consumes({"image/jpeg", "image/png"})
    @Operation(summary = "Upload a photo to a conversation", description = "The body is a JPEG or PNG image, at most "
            + "`pagerless.conversation.photo.max-bytes`. It is decoded and written anew (EXIF, GPS and other metadata "
            + "are gone) and scaled to fit `pagerless.conversation.photo.max-side`. 201 with its id; then post a "
            + "message with `photo` set to it. Members of the conversation now only.")
    public Response upload(@PathParam("id") String id, byte[] body) {
        Conversation c = members.find(ConversationResource.parse(id, "conversation"))
                .orElseThrow(() -> ProblemException.notFound("no conversation with id " + id));
        String me = Caller.of(identity).staffId();
        if (!members.isMember(c, me)) {
            throw ProblemException.forbidden("you are not in this conversation now");
        }
        if (body == null || body.length == 0) {
            throw new InvalidRequest("photo", "must not be empty");
        }
        if (body.length > maxBytes) {
            throw new InvalidRequest("photo", "must be at most " + maxBytes + " bytes");
        }
        PhotoEncoder.Encoded photo;
        try {
            photo = PhotoEncoder.reencode(body, maxSide);
        } catch (PhotoEncoder.NotAPhoto e) {
            throw new InvalidRequest("photo", e.getMessage());
        }
        StoredPhoto stored = new StoredPhoto(UUID.randomUUID(), c.id(), me, clock.instant(), photo.contentType(),
                photo.width(), photo.height());
        photos.put(stored, photo.bytes());
        return Response.created(URI.create(ConversationViews.photoPath(c.id(), stored.id())))
                .entity(new Uploaded(stored.id(), photo.contentType(), photo.width(), photo.height(), photo.bytes().length))
                .build();
    }

    @GET
    @Path("{photoId}")
    @Operation(summary = "A photo in a conversation", description = "To those who may read a message showing it "
            + "(or who uploaded it); never cached (`Cache-Control: no-store`). In a task thread the read is audited. "
            + "410 once the message showing it has been deleted (the record keeps it until retention, shown to no one).")
    public Response photo(@PathParam("id") String id, @PathParam("photoId") String photoId) {
        Conversation c = conversations.readable(id);
        String me = Caller.of(identity).staffId();
        StoredPhoto about = photos.about(ConversationResource.parse(photoId, "photo"))
                .filter(p -> p.conversationId().equals(c.id()))
                .orElseThrow(() -> ProblemException.notFound("no photo with id " + photoId + " in this conversation"));
        if (store.photoDeleted(about.id())) {
            throw new ProblemException(410, "Gone", "the message showing this photo was deleted");
        }
        if (!me.equals(about.uploadedBy()) && !members.isMember(c, me) && !store.photoPostedTo(about.id(), me)) {
            throw ProblemException.forbidden("this photo was posted before you were in the conversation");
        }
        byte[] bytes = photos.bytes(about.id()).orElseThrow(() -> ProblemException.notFound("no photo with id " + photoId));
        conversations.audited(c, "GET /api/v1/conversations/{id}/photos/{photoId}");
        return Response.ok(bytes, about.contentType())
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "inline")
                .build();
    }
}
