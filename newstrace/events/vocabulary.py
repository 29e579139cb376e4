"""Word lists the events stage reads the parse with (kept in code: they are grammar, not lexicon)."""

TARGET_PREPS = {"against", "on", "at", "upon", "into"}
# Prepositions that introduce whom an act is addressed to or done with ("appealed to X", "talks with X",
# "mediation between X and Y"): the recipient, when the phrase names an actor.
RECIPIENT_PREPS = {"to", "with", "between", "among", "toward", "towards"}
SOURCE_PREPS = {"by", "from"}
# Where an act is done: a country or capital named there stands for the recipient when the text names
# no other ("lifted the curfew in X", "arrived in X on a visit"), as event coders read it.
WHERE_PREPS = {"in", "inside", "throughout", "across"}
# Personal pronouns and possessives: the actors stage resolves some; the rest name no one by themselves.
PRONOUN_WORDS = {"it", "its", "they", "them", "their", "we", "us", "our", "he", "him", "his", "she", "her", "i"}
# Nouns for people that imply no sector (roles.tsv leaves them out) but still name a participant.
PEOPLE_NOUNS = {"people", "person", "persons", "man", "men", "woman", "women", "child", "children", "youth",
                "youths", "family", "families", "follower", "followers", "supporter", "supporters", "member",
                "members", "leader", "leaders", "representative", "representatives", "delegate", "delegates",
                "delegation", "nationals", "immigrant", "immigrants", "prisoner", "prisoners", "detainee",
                "detainees", "captive", "captives", "inmate", "inmates", "victim", "victims", "inhabitants",
                "community", "communities", "side", "sides", "group", "groups", "faction", "factions", "population",
                "crowd", "crowds", "mob", "fundamentalists", "extremists", "hardliners"}
# Quantities and parts that stand for the group they count ("hundreds of troops", "a third of the rebels").
QUANTITY_WORDS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "number", "third", "half", "quarter",
                  "majority", "minority", "rest", "part", "bulk", "most", "some", "many", "all", "none", "both", "each",
                  "several", "few", "one", "two", "three"}
# Weapons platforms that stand for the armed forces operating them ("Israeli jets struck").
MILITARY_NOUNS = {"jet", "jets", "warplane", "warplanes", "plane", "planes", "aircraft", "helicopter", "helicopters",
                  "gunship", "gunships", "tank", "tanks", "warship", "warships", "gunboat", "gunboats", "vessel",
                  "vessels", "navy", "artillery", "drone", "drones", "bomber", "bombers", "fighter", "fighters"}
# Verbs whose subject undergoes, witnesses or comments on the act named by their object rather than doing it
# ("survived an attack", "condemned the strike"): their subject is not the act's source.
NOT_AGENT_VERBS = {"survive", "suffer", "face", "witness", "see", "watch", "escape", "fear", "report", "describe",
                   "blame", "condemn", "deny", "investigate", "mourn", "recall", "remember", "discuss", "oppose",
                   "welcome", "criticize", "criticise", "protest", "reject", "support", "endorse", "praise",
                   "demand", "urge", "seek", "request", "predict", "expect", "await", "prevent", "avert", "follow",
                   "cover", "mark", "commemorate", "claim", "admit", "acknowledge", "confirm", "need", "want",
                   "hope", "call", "ask", "propose", "study", "consider", "review", "monitor", "accept", "receive",
                   "join", "resist", "repel", "thwart", "foil", "fight", "avoid"}
# PLOVER codes an announced or planned act by what announcing it is (manual, AGREE / CONCEDE / THREATEN
# sections): future cooperation is AGREE, a future retreat CONCEDE, an intended use of force THREATEN.
INTENDED_TYPE = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE", "RETREAT": "CONCEDE",
                 "ASSAULT": "THREATEN", "COERCE": "THREATEN", "SANCTION": "THREATEN"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}  # "wo" is the first token of "won't"
# Types whose announced refusal ("will not withdraw", "would not provide aid") is a REJECT.
COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
# Verbs of failing at an act: failing to cooperate is a rejection ("failed to reach agreement").
FAILING_VERBS = {"fail"}
# Words whose infinitive complement is what their subject means to do ("plans to impose", "ready to send").
INTENTION_WORDS = {"want", "plan", "intend", "aim", "decide", "wish", "ready", "willing", "prepared", "determined",
                   "poised", "resolve", "mean", "seek", "hope", "keen", "eager"}
# "X wants Y to do Z": X asks Y.
WANT_VERBS = {"want", "wish", "expect", "like"}
# Ending a coercive or hostile act ("lift the ban", "call off the strike", "halt the fighting"): PLOVER codes
# lifting curfews and restrictions and suspending protests as CONCEDE, and lifting sanctions or ending
# fighting as RETREAT (as events.tsv does for "lift sanctions" and "ceasefire").
REVERSED = {"COERCE": ("CONCEDE", None), "PROTEST": ("CONCEDE", None), "SANCTION": ("RETREAT", None),
            "ASSAULT": ("RETREAT", "ceasefire")}
ENDING_VERBS = {"lift", "ease", "end", "remove", "revoke", "repeal", "relax", "rescind", "scrap", "cancel", "shorten",
                "loosen", "halt", "stop", "suspend", "abandon", "overturn", "annul", "drop"}
# Cutting cooperation is a sanction (CAMEO 162 "reduce or stop aid" and 164 "halt negotiations" are PLOVER
# SANCTION discontinue / withdraw): "suspended military aid", "froze cooperation", "cancelled the visit".
CUT_TYPES = {"AID": ("SANCTION", "discontinue"), "COOPERATE": ("SANCTION", "discontinue"),
             "CONSULT": ("SANCTION", "withdraw")}
CUTTING_VERBS = {"cut", "reduce", "slash", "withhold", "freeze", "suspend", "halt", "stop", "end", "terminate",
                 "cancel", "scrap", "curtail", "abandon", "drop", "break", "call"}
# A meeting that ends may just be over ("ended two days of talks"): only these verbs halt talks or visits.
HALTING_VERBS = {"suspend", "halt", "cancel", "scrap", "abandon", "freeze", "break", "call"}
# Easing a sanction or a restriction (CAMEO 081 / 085, "cut tariffs", "reduced the curfew", "rolled back
# tariffs"): with the ENDING_VERBS, a concession or a retreat.
EASING_VERBS = {"reduce", "lower", "cut", "slash", "waive", "roll"}
EASED_TYPES = {"SANCTION", "COERCE"}
# Giving money or goods to someone is aid (CAMEO 07): "provided $2 million to Fiji", "gave 600 rifles to the
# marines", "earmarked 1.5 million euros in emergency aid". A verb of giving becomes an AID trigger when its
# object is an amount of money or goods of relief or war.
GIVING_VERBS = {"give", "provide", "contribute", "send", "deliver", "allocate", "earmark", "grant", "donate", "ship",
                "fly", "airlift", "transfer", "hand", "disburse", "release", "offer", "pledge", "lend", "loan"}
AID_GOODS = {"food", "medicine", "drug", "vaccine", "supply", "equipment", "vehicle", "ambulance", "tent", "blanket",
             "relief", "fund", "funding", "money", "grant", "loan", "cash", "credit", "firearm", "rifle", "weapon",
             "arm", "ammunition", "helicopter", "aircraft", "plane", "tank", "missile", "ton", "tonne", "shipment",
             "water", "fuel", "grain", "wheat", "rice", "clothing", "kit", "dose", "ventilator", "mask", "assistance"}
# Who is sent or deployed as help, not as force (CAMEO 07 provide aid, 074 peacekeeping): PLOVER AID.
HELPERS = {"observer", "monitor", "expert", "doctor", "medic", "nurse", "team", "rescuer", "worker", "inspector",
           "volunteer", "adviser", "advisor", "engineer", "specialist", "firefighter", "official"}
# What kills without an attacker: "killed in a car crash", "injured by the earthquake", "died in the floods".
DISASTERS = {"crash", "accident", "collision", "derailment", "earthquake", "quake", "flood", "flooding", "storm",
             "cyclone", "hurricane", "typhoon", "tornado", "landslide", "mudslide", "avalanche", "tsunami", "fire",
             "blaze", "wildfire", "collapse", "stampede", "disease", "virus", "outbreak", "epidemic", "pandemic",
             "heatwave", "drought", "eruption", "lightning", "drowning", "overdose", "illness"}
# Pledging or offering is itself an AGREE: what is pledged is the promise's content, not a gift made.
PROMISING_VERBS = {"offer", "pledge"}
# Breaking a truce is fighting again (ConfliBERT codes "violated the ceasefire" as material conflict).
VIOLATING_VERBS = {"violate", "breach", "break", "flout"}
TRUCE_WORDS = {"ceasefire", "cease-fire", "truce", "armistice"}
# Breaking a rule imposed on one ("violated a ban on arms exports", "flouted the curfew", "breached sanctions") is
# defying it: CAMEO 128 "defy norms, law", PLOVER REJECT (CAMEO2PLOVER-2021), the rule its content; the rule is
# no new restriction.
DEFIED_RULES = {"ban", "embargo", "sanction", "sanctions", "curfew", "restriction", "moratorium", "prohibition",
                "lockdown"}
# Quad classes of the types the REVERSED, CUT and violated-rule readings give.
QUADS = {"CONCEDE": "verbal-cooperation", "RETREAT": "material-cooperation",
         "SANCTION": "material-conflict", "ASSAULT": "material-conflict", "REJECT": "verbal-conflict"}
# Verbs of command and approval: with an act as object ("ordered patrols", "approved the extradition"),
# they only say who makes that act happen.
ORDER_VERBS = {"order", "authorize", "authorise", "approve"}
# Dependents of a verb that can supply the other words of a multiword verb trigger.
PARTNER_DEPS = {"dobj", "nsubjpass", "prep", "prt", "dative", "oprd", "acomp"}
# "declined to comment": a refusal to speak is a statement, not a REJECT event.
SPEECH_VERBS = {"comment", "say", "elaborate", "discuss", "confirm", "speak", "answer", "respond", "disclose",
                "reveal", "identify", "name", "specify", "detail"}
# Things that are published, not set free ("released a report", "a press release").
DOCUMENT_NOUNS = {"report", "statement", "video", "footage", "data", "figure", "detail", "list", "photo",
                  "photograph", "image", "picture", "result", "finding", "film", "book", "transcript", "document",
                  "letter", "communique", "text", "recording", "tape", "audio", "album", "song", "study", "survey",
                  "poll", "budget", "guideline", "guidance", "version", "update", "information", "name", "record",
                  "map", "plan", "proposal", "draft", "memo", "memoir", "manifesto", "declaration", "schedule"}
# (preposition, verb) pairs by which the subject takes part in the act the preposition's object names
# ("arrived on a visit", "went on strike", "took part in talks", "engaged in fighting").
JOINING_VERBS = {("on", "arrive"), ("on", "go"), ("on", "come"), ("on", "travel"), ("on", "embark"), ("for", "arrive"),
                 ("for", "leave"), ("for", "travel"), ("for", "fly"), ("for", "return"), ("in", "take"),
                 ("in", "participate"), ("in", "engage"), ("in", "join"), ("in", "involve"), ("into", "enter"),
                 # the act's means: "police responded with tear gas", "troops retaliated with shelling"
                 ("with", "respond"), ("with", "retaliate"), ("with", "react"), ("with", "answer"),
                 ("with", "disperse"), ("with", "hit"), ("with", "pelt"), ("with", "attack"), ("with", "strike")}
# Verbs whose subject is the one who gets what their object names ("received aid"): the act's recipient.
RECEIVER_VERBS = {"receive", "get", "obtain", "accept", "win", "gain", "secure"}
ANAPHOR_SENTENCES = 3  # how far back "the attack" may refer
ANAPHORIC_DETERMINERS = {"the", "this", "that", "these", "those"}
# Verbs whose object or subject is the victim of an assault when the assault is what happens to them
# ("came under fire", "were hit by a strike").
UNDER_VERBS = {"come", "be", "remain", "fall"}
LIGHT_VERBS = {"carry", "launch", "conduct", "stage", "mount", "plot", "plan", "order", "authorize", "authorise", "approve",
               "commit", "perpetrate", "execute", "unleash", "initiate", "resume", "intensify", "escalate", "step",
               "prepare", "threaten"}
COUNT_VERBS = {"kill": "killed", "injure": "injured", "wound": "injured", "arrest": "arrested", "detain": "arrested"}
VAGUE_COUNTS = {"dozens": 12, "scores": 12, "dozen": 12, "hundreds": 100, "thousands": 1000, "several": 3,
                "a few": 3, "few": 3, "some": 3, "many": 10, "tens": 10}
# Verbs whose object is the one moved to do what their infinitive names ("convinced X to withdraw").
OBJECT_CONTROL = {"convince", "persuade", "urge", "ask", "force", "order", "tell", "allow", "encourage", "pressure",
                  "press", "invite", "call", "push", "compel", "oblige", "authorize", "authorise", "permit", "prompt",
                  "lead", "instruct", "direct", "command", "warn", "advise", "implore", "beg", "get"}
# Pronouns that say no one is meant.
NEGATIVE_PRONOUNS = {"nobody", "none", "noone", "no-one", "nothing"}
# Counted crowds that stand for the people they count ("thousands rallied").
CROWD_WORDS = {"dozens", "hundreds", "thousands", "tens", "millions", "scores"}
# Weapons: found, seized or defused they are a disrupted attack, dropped or fired they are the attack itself.
WEAPON_NOUNS = {"weapon", "arm", "arms", "ammunition", "munition", "gun", "firearm", "rifle", "pistol", "explosive",
                "bomb", "device", "ied", "mine", "landmine", "grenade", "cache", "stash", "missile", "rocket", "mortar",
                "shell", "round", "bullet", "projectile", "kalashnikov", "detonator", "ammo", "weaponry", "drone"}
# Verbs by which an attack is prevented or weapons taken away (ACLED "Disrupted weapons use").
DISRUPT_VERBS = {"find", "discover", "seize", "confiscate", "recover", "intercept", "defuse", "dismantle", "detect",
                 "uncover", "impound", "neutralize", "neutralise", "unearth", "retrieve", "shoot"}
# Of the weapons, those a "destroyed" object names as disposed of, not as an attack's damage.
DISPOSED_WEAPONS = {"mine", "landmine", "ied", "explosive", "device", "bomb", "ammunition", "munition"}
# What an armed force holds: an attack on it is a clash ("attacked a checkpoint", "an attack on an army base").
MILITARY_OBJECTS = {"base", "post", "checkpoint", "outpost", "position", "convoy", "patrol", "camp", "barracks",
                    "garrison", "troops", "soldier", "army", "military", "police", "policeman", "militant", "rebel",
                    "fighter", "insurgent", "terrorist", "force", "militia", "jihadist", "gunman", "guard", "trench"}
