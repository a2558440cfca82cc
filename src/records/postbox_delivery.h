// Delivers a Bescheid into the case's postbox (postfach/): the records layer's
// DeliveryHook, set by `serve`. It runs inside the writer command that stores
// the Bescheid, so the letter, its document row and the office message with
// the PDF attached commit together — or not at all.
#pragma once

#include "postfach/postfach.h"
#include "records/records.h"

namespace amtsweg::records {

// The hook: copies the stored PDF into the postbox's file store (content-
// addressed and fsync'd, so a replayed command writes the same file again and
// changes nothing) and posts an office message with it. The message's origin
// is the document version, so it is posted once.
DeliveryHook PostboxDelivery(postfach::Postfach& postfach, Records& records);

}  // namespace amtsweg::records
