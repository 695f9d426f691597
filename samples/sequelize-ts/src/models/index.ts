export { Event } from "./event.model";
export { EventTag } from "./event-tag.model";
export { Organizer } from "./organizer.model";
export { OrganizerProfile } from "./organizer-profile.model";
export { Tag } from "./tag.model";
export { Ticket } from "./ticket.model";
