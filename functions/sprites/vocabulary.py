"""Words the sprite prompt compiler knows: subjects, parts, equipment, colours, palettes (no numpy)."""
from __future__ import annotations

from functions.common.colours import NAMED_COLOURS

ASSET_TYPES: tuple[str, ...] = ("character", "creature", "item")
ARCHETYPES: tuple[str, ...] = ("humanoid", "quadruped", "winged", "amorphous", "serpentine", "arthropod", "item")

# ---------------------------------------------------------------------------------------------- characters
# Each role: outfit, default headwear, main-hand and off-hand equipment, build, cape, and default colours
# of its colour slots. `skin` None means "a human skin tone chosen from the seed".
ROLES: dict[str, dict] = {
    "knight": dict(outfit="armour", head="helmet", main="sword", off="shield", colours=dict(
        body="#9aa3b0", legs="#6f7786", boots="#4a4f5c", shield="#2f5fa8", cape="#2f5fa8", headwear="#9aa3b0")),
    "paladin": dict(outfit="armour", head="helmet", main="hammer", off="shield", cape=True, colours=dict(
        body="#d8d4c8", legs="#8a8577", boots="#5a4630", shield="#d8c03a", cape="#e8e2d0", headwear="#d8d4c8",
        trim="#d8b040")),
    "wizard": dict(outfit="robe", head="wizard_hat", main="staff", beard=True, colours=dict(
        body="#3b4fa8", headwear="#3b4fa8", hair="#d8d8d8", boots="#4a3526")),
    "witch": dict(outfit="robe", head="wizard_hat", main="wand", colours=dict(
        body="#3a2a4a", headwear="#2a2232", hair="#7d4fc0", boots="#2a2232")),
    "mage": dict(outfit="robe", head="hood", main="staff", colours=dict(body="#7d2f8f", headwear="#7d2f8f")),
    "archer": dict(outfit="tunic", head="hood", main=None, off="bow", colours=dict(
        body="#3f7a3a", legs="#6b4a2e", boots="#4a3526", headwear="#2f5f2e")),
    "ranger": dict(outfit="tunic", head="hood", main="dagger", off="bow", cape=True, colours=dict(
        body="#4a6b3a", cape="#2f4f2e", headwear="#2f4f2e", legs="#5a4630")),
    "rogue": dict(outfit="coat", head="hood", main="dagger", colours=dict(
        body="#3a3640", legs="#2a2630", boots="#2a2020", headwear="#2f2b36")),
    "thief": dict(outfit="coat", head="hood", main="dagger", colours=dict(body="#4a4038", headwear="#3a3430")),
    "assassin": dict(outfit="coat", head="hood", main="dagger", colours=dict(body="#2a2630", headwear="#1f1c24")),
    "warrior": dict(outfit="leather", head=None, main="axe", build="stocky", colours=dict(
        body="#7a4f2e", legs="#5a4630", boots="#3a2a20", hair="#8a3a1e")),
    "barbarian": dict(outfit="bare", head="horns", main="axe", build="stocky", colours=dict(
        legs="#6b4a2e", boots="#4a3526", hair="#8a3a1e")),
    "viking": dict(outfit="leather", head="horns", main="axe", off="shield", beard=True, build="stocky",
                   colours=dict(body="#6b4a2e", hair="#c87a30", shield="#8a2a22", headwear="#9aa3b0")),
    "cleric": dict(outfit="robe", head=None, main="hammer", off="shield", colours=dict(
        body="#e8e2d0", trim="#d8b040", shield="#d8c03a")),
    "priest": dict(outfit="robe", head=None, main="staff", colours=dict(body="#e8e2d0", trim="#d8b040")),
    "monk": dict(outfit="robe", head=None, main="staff", hair_style="bald", colours=dict(body="#c8782a")),
    "villager": dict(outfit="tunic", head=None, main=None, colours=dict(
        body="#8a6a3e", legs="#5a4630", boots="#4a3526")),
    "farmer": dict(outfit="tunic", head="straw_hat", main=None, colours=dict(
        body="#6a8ab0", legs="#6b4a2e", headwear="#d8c07a")),
    "merchant": dict(outfit="coat", head="hat", main=None, belt=True, colours=dict(
        body="#8a2a3a", legs="#4a3526", headwear="#3a2a20", trim="#d8b040")),
    "pirate": dict(outfit="coat", head="hat", main="sword", beard=True, colours=dict(
        body="#9a2a2a", legs="#e0d8c0", boots="#2a2020", headwear="#2a2226")),
    "ninja": dict(outfit="suit", head="mask", main="dagger", colours=dict(
        body="#26262e", legs="#26262e", boots="#1c1c22", headwear="#26262e")),
    "samurai": dict(outfit="armour", head="helmet", main="sword", colours=dict(
        body="#8a2a2a", legs="#3a3036", headwear="#3a3036")),
    "king": dict(outfit="robe", head="crown", main=None, cape=True, beard=True, colours=dict(
        body="#7a1f2a", cape="#9b1b30", headwear="#d8b040", trim="#d8b040")),
    "queen": dict(outfit="robe", head="crown", main=None, cape=True, hair_style="long", colours=dict(
        body="#4a2a7a", cape="#6a3d9a", headwear="#d8b040")),
    "princess": dict(outfit="robe", head="crown", main=None, hair_style="long", colours=dict(
        body="#d97a9c", headwear="#d8b040", hair="#e0c060")),
    "guard": dict(outfit="armour", head="helmet", main="spear", colours=dict(body="#8a929e", legs="#5a4a3a")),
    "soldier": dict(outfit="armour", head="helmet", main="spear", off="shield", colours=dict(
        body="#6a7a5a", shield="#6a5a3a")),
    "skeleton": dict(outfit="bones", head=None, main="sword", skin="#d8cfb0", hair_style="bald", colours=dict(
        body="#d8cfb0", legs="#d8cfb0", boots="#d8cfb0", eyes="#ff5a1f")),
    "zombie": dict(outfit="rags", head=None, main=None, skin="#7a9a5a", colours=dict(
        body="#5a5a6a", legs="#4a4a3a", boots="#3a3a30", hair="#3a3028")),
    "robot": dict(outfit="robot", head=None, main=None, skin="#8a94a4", hair_style="bald", colours=dict(
        body="#8a94a4", legs="#6a7484", boots="#4a5262", eyes="#48d7f0")),
    "orc": dict(outfit="leather", head=None, main="axe", build="stocky", skin="#5a8a3a", ears="pointy",
                tusks=True, colours=dict(body="#6b4a2e", legs="#4a3a2a", hair="#1c1c1e")),
    "goblin": dict(outfit="rags", head=None, main="dagger", build="chibi", skin="#6aa040", ears="pointy",
                   hair_style="bald", colours=dict(body="#7a5a3a", legs="#5a4630")),
    "elf": dict(outfit="tunic", head=None, main=None, off="bow", build="tall", skin="#f0d0b0", ears="pointy",
                hair_style="long", colours=dict(body="#3f8a5a", legs="#6b5a3a", hair="#e0c878")),
    "dwarf": dict(outfit="armour", head="helmet", main="axe", build="stocky", beard=True, colours=dict(
        body="#8a6a4a", hair="#b05a28", headwear="#9aa3b0")),
    "vampire": dict(outfit="coat", head=None, main=None, cape=True, skin="#d8d0d8", colours=dict(
        body="#1c1c22", cape="#9b1b30", hair="#1c1c1e", eyes="#d63a3a")),
    "golem": dict(outfit="rock", head=None, main=None, build="stocky", skin="#8a8278", hair_style="bald",
                  colours=dict(body="#8a8278", legs="#7a7268", boots="#6a6258", eyes="#48d7f0")),
    "adventurer": dict(outfit="tunic", head=None, main="sword", belt=True, colours=dict(
        body="#3b6fa0", legs="#6b4a2e")),
    "hero": dict(outfit="tunic", head=None, main="sword", off="shield", cape=True, colours=dict(
        body="#3f8a3a", cape="#b03a2e")),
    "person": dict(outfit="tunic", head=None, main=None, colours={}),
}
ROLE_SYNONYMS: dict[str, str] = {
    "man": "person", "woman": "person", "human": "person", "character": "person", "npc": "villager",
    "peasant": "villager", "townsfolk": "villager", "sorcerer": "wizard", "sorceress": "witch",
    "necromancer": "mage", "warlock": "mage", "druid": "mage", "hunter": "ranger", "bandit": "thief",
    "healer": "cleric", "nun": "priest", "shopkeeper": "merchant", "trader": "merchant", "fighter": "warrior",
    "berserker": "barbarian", "templar": "paladin", "crusader": "paladin", "mummy": "zombie", "undead": "zombie",
    "android": "robot", "cyborg": "robot", "mech": "robot", "automaton": "robot", "troll": "orc", "ogre": "orc",
    "imp": "goblin", "kobold": "goblin", "prince": "king", "emperor": "king", "empress": "queen",
    "sailor": "pirate", "captain": "pirate", "swordsman": "adventurer", "lich": "skeleton",
    "spearman": "guard", "sentry": "guard", "knights": "knight",
}
HUMANOID_MONSTERS = {"skeleton", "zombie", "robot", "orc", "goblin", "golem", "vampire"}

BUILD_WORDS: dict[str, str] = {
    **dict.fromkeys(("chibi", "cute", "tiny", "small", "little", "short", "kawaii", "baby", "young"), "chibi"),
    **dict.fromkeys(("stocky", "fat", "burly", "muscular", "big", "bulky", "heavy", "stout", "chubby",
                     "large", "huge", "giant", "brawny", "strong"), "stocky"),
    **dict.fromkeys(("tall", "lanky", "slender", "thin", "skinny", "lean", "elegant"), "tall"),
}

EQUIPMENT: dict[str, str] = {
    **dict.fromkeys(("sword", "swords", "blade", "longsword", "cutlass", "katana", "sabre", "saber",
                     "broadsword", "scimitar", "rapier"), "sword"),
    **dict.fromkeys(("axe", "axes", "hatchet", "battleaxe"), "axe"),
    **dict.fromkeys(("spear", "lance", "pike", "halberd", "trident", "polearm", "javelin"), "spear"),
    **dict.fromkeys(("bow", "longbow", "crossbow", "shortbow"), "bow"),
    **dict.fromkeys(("staff", "stave", "rod", "scepter", "sceptre", "quarterstaff"), "staff"),
    **dict.fromkeys(("wand",), "wand"),
    **dict.fromkeys(("dagger", "daggers", "knife", "knives", "shiv", "dirk"), "dagger"),
    **dict.fromkeys(("hammer", "warhammer", "mace", "maul", "club", "flail"), "hammer"),
    **dict.fromkeys(("shield", "buckler"), "shield"),
    **dict.fromkeys(("torch",), "torch"),
}
OFF_HAND = {"shield", "bow"}
HEADWEAR: dict[str, str] = {
    **dict.fromkeys(("helmet", "helm", "armet", "bascinet"), "helmet"),
    **dict.fromkeys(("hood", "hooded", "cowl"), "hood"),
    **dict.fromkeys(("hat", "tricorn", "cap", "fedora", "bowler"), "hat"),
    **dict.fromkeys(("wizard_hat", "pointy", "witch_hat"), "wizard_hat"),
    **dict.fromkeys(("straw",), "straw_hat"),
    **dict.fromkeys(("crown", "crowned", "tiara", "circlet", "diadem"), "crown"),
    **dict.fromkeys(("horns", "horned", "horn"), "horns"),
    **dict.fromkeys(("mask", "masked", "bandana"), "mask"),
    **dict.fromkeys(("bald",), "bald"),
}
OUTFIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("armour", "armor", "armoured", "armored", "plate", "plated", "chainmail", "mail",
                     "cuirass", "breastplate"), "armour"),
    **dict.fromkeys(("robe", "robes", "robed", "gown", "dress", "cassock"), "robe"),
    **dict.fromkeys(("tunic", "shirt", "clothes", "outfit", "vest", "jerkin"), "tunic"),
    **dict.fromkeys(("coat", "jacket", "longcoat", "trenchcoat"), "coat"),
    **dict.fromkeys(("rags", "ragged", "tattered"), "rags"),
}
# nouns that name a colour slot (and, for characters, add the part)
PART_SLOTS: dict[str, str] = {
    **dict.fromkeys(("cape", "cloak", "capes", "mantle"), "cape"),
    **dict.fromkeys(("pants", "trousers", "legs", "leggings", "breeches", "skirt", "kilt"), "legs"),
    **dict.fromkeys(("boots", "boot", "shoes", "feet", "sandals"), "boots"),
    **dict.fromkeys(("hair", "haired", "ponytail", "braid", "braids", "mane"), "hair"),
    **dict.fromkeys(("beard", "bearded", "moustache", "mustache"), "beard"),
    **dict.fromkeys(("skin", "skinned", "face"), "skin"),
    **dict.fromkeys(("eyes", "eye", "eyed", "gaze"), "eyes"),
    **dict.fromkeys(("belt", "sash", "girdle"), "belt"),
    **dict.fromkeys(("gloves", "gauntlets", "hands"), "gloves"),
    **dict.fromkeys(("wings", "wing", "winged"), "wings"),
    **dict.fromkeys(("shell", "carapace"), "body"),
    **dict.fromkeys(("fur", "furred", "furry", "scales", "scaled", "scaly", "feathers", "feathered", "body",
                     "hide"), "body"),
    **dict.fromkeys(("belly", "underbelly", "chest"), "belly"),
    **dict.fromkeys(("tusks", "tusk", "claws", "fangs", "spikes", "spiked", "spines"), "accent"),
    **dict.fromkeys(("handle", "hilt", "grip", "haft", "shaft"), "handle"),
    **dict.fromkeys(("trim", "trimmed", "accents", "details", "bands", "banded", "lid", "ribbon", "stem"),
                    "trim"),
    **dict.fromkeys(("liquid", "fluid", "contents", "flame", "fire", "glow", "orb", "gem", "gems", "jewel",
                     "crystal", "spots", "spotted", "cap"), "detail"),
}

# ---------------------------------------------------------------------------------------------- creatures
CREATURES: dict[str, dict] = {
    "slime": dict(archetype="amorphous", shape="slime", colours=dict(body="#5ac04a", eyes="#1c1c1e")),
    "blob": dict(archetype="amorphous", shape="slime", colours=dict(body="#4aa8d8", eyes="#1c1c1e")),
    "jelly": dict(archetype="amorphous", shape="slime", colours=dict(body="#d86aa8", eyes="#1c1c1e")),
    "ghost": dict(archetype="amorphous", shape="ghost", colours=dict(body="#d8e4f0", eyes="#26262e")),
    "spirit": dict(archetype="amorphous", shape="ghost", colours=dict(body="#9ad8e8", eyes="#2a3a5a")),
    "wolf": dict(archetype="quadruped", shape="wolf", colours=dict(body="#7d7f88", belly="#c8c4bc",
                                                                   eyes="#e8c040")),
    "dog": dict(archetype="quadruped", shape="dog", colours=dict(body="#a8743e", belly="#e0c8a0")),
    "fox": dict(archetype="quadruped", shape="fox", colours=dict(body="#d8742a", belly="#f0e8dc")),
    "cat": dict(archetype="quadruped", shape="cat", colours=dict(body="#6a6a72", belly="#d8d8d0",
                                                                 eyes="#a8d040")),
    "boar": dict(archetype="quadruped", shape="boar", colours=dict(body="#6b4a32", belly="#8a6a4a",
                                                                   accent="#ece6d2")),
    "bear": dict(archetype="quadruped", shape="bear", colours=dict(body="#5a3e2a", belly="#7a5a3e")),
    "rat": dict(archetype="quadruped", shape="rat", colours=dict(body="#7a6e68", belly="#b8aca4",
                                                                 accent="#d89a9a", eyes="#d63a3a")),
    "bat": dict(archetype="winged", shape="bat", colours=dict(body="#4a3a52", wings="#6a4a6e",
                                                              eyes="#ff5a1f")),
    "bird": dict(archetype="winged", shape="bird", colours=dict(body="#3f7fc8", belly="#e8dcc0",
                                                                accent="#e8a030")),
    "crow": dict(archetype="winged", shape="bird", colours=dict(body="#26262e", belly="#3a3a46",
                                                                accent="#3a3a40")),
    "owl": dict(archetype="winged", shape="owl", colours=dict(body="#8a6a4a", belly="#d8c8a8",
                                                              accent="#e8a030", eyes="#f0c020")),
    "chicken": dict(archetype="winged", shape="bird", colours=dict(body="#f0ece0", belly="#f0ece0",
                                                                   accent="#e8a030", trim="#d63a3a")),
    "dragon": dict(archetype="winged", shape="dragon", colours=dict(body="#3f8a3a", belly="#d8c070",
                                                                    wings="#2f6a3a", accent="#ece6d2",
                                                                    eyes="#ffb13b")),
    "wyvern": dict(archetype="winged", shape="dragon", colours=dict(body="#8a3a2a", belly="#d8a070",
                                                                    wings="#6a2a22", accent="#ece6d2")),
    "snake": dict(archetype="serpentine", shape="snake", colours=dict(body="#5a9a3a", belly="#d8d080",
                                                                      eyes="#e8c040")),
    "serpent": dict(archetype="serpentine", shape="snake", colours=dict(body="#2e6a8a", belly="#a8d8c8")),
    "worm": dict(archetype="serpentine", shape="worm", colours=dict(body="#c87a7a", belly="#d89a9a")),
    "spider": dict(archetype="arthropod", shape="spider", colours=dict(body="#2a2430", accent="#5a3a4a",
                                                                       eyes="#ff3a2a")),
    "beetle": dict(archetype="arthropod", shape="beetle", colours=dict(body="#2a6a8a", belly="#26262e",
                                                                       accent="#3a3a44")),
    "scarab": dict(archetype="arthropod", shape="beetle", colours=dict(body="#c8a030", belly="#3a2a1e")),
    "ant": dict(archetype="arthropod", shape="beetle", colours=dict(body="#8a2a1e", belly="#5a1e16")),
    "mushroom_monster": dict(archetype="amorphous", shape="myconid", colours=dict(
        body="#e8dcc0", detail="#c83a2e", eyes="#1c1c1e")),
}
CREATURE_SYNONYMS: dict[str, str] = {
    "slimes": "slime", "ooze": "slime", "goo": "slime", "jellyfish": "jelly", "phantom": "ghost",
    "specter": "ghost", "spectre": "ghost", "wraith": "ghost", "wisp": "spirit", "wolves": "wolf",
    "werewolf": "wolf", "hound": "dog", "puppy": "dog", "dogs": "dog", "kitten": "cat", "cats": "cat",
    "tiger": "cat", "lion": "cat", "panther": "cat", "pig": "boar", "hog": "boar", "warthog": "boar",
    "bears": "bear", "mouse": "rat", "rats": "rat", "bats": "bat", "vampire_bat": "bat", "birds": "bird",
    "sparrow": "bird", "parrot": "bird", "eagle": "bird", "hawk": "bird", "raven": "crow", "hen": "chicken",
    "rooster": "chicken", "chick": "chicken", "dragons": "dragon", "drake": "dragon", "snakes": "snake",
    "cobra": "snake", "python": "snake", "viper": "snake", "eel": "serpent", "naga": "serpent",
    "wyrm": "serpent", "larva": "worm", "caterpillar": "worm", "maggot": "worm", "spiders": "spider",
    "tarantula": "spider", "bug": "beetle", "insect": "beetle", "beetles": "beetle", "foxes": "fox",
}

# ---------------------------------------------------------------------------------------------- items
ITEMS: dict[str, dict] = {
    "sword": dict(colours=dict(main="#c8d0dc", handle="#6b4a2e", trim="#c9a23f")),
    "axe": dict(colours=dict(main="#b8c0cc", handle="#7a5230")),
    "spear": dict(colours=dict(main="#b8c0cc", handle="#7a5230")),
    "bow": dict(colours=dict(main="#8a5a30", handle="#5a3a20", trim="#e8e0d0")),
    "staff": dict(colours=dict(main="#7a5230", detail="#48b7f0")),
    "wand": dict(colours=dict(main="#5a3a28", detail="#f0d060")),
    "dagger": dict(colours=dict(main="#c8d0dc", handle="#3a2a22", trim="#c9a23f")),
    "hammer": dict(colours=dict(main="#8a929e", handle="#7a5230")),
    "shield": dict(colours=dict(main="#2f5fa8", trim="#b9bcc0", detail="#d8c03a")),
    "potion": dict(colours=dict(main="#d8303a", trim="#c8e0e8", handle="#8a6a4a")),
    "key": dict(colours=dict(main="#d8b040")),
    "coin": dict(colours=dict(main="#e0b83a")),
    "gem": dict(colours=dict(main="#3ac0e0")),
    "chest": dict(colours=dict(main="#8a5a30", trim="#5a5e6a", detail="#e0b83a")),
    "scroll": dict(colours=dict(main="#e8dcb8", trim="#a82a2a", handle="#8a6a4a")),
    "ring": dict(colours=dict(main="#e0b83a", detail="#d8303a")),
    "bomb": dict(colours=dict(main="#2a2a36", handle="#c8b088", detail="#ffb13b")),
    "heart": dict(colours=dict(main="#e0303a")),
    "apple": dict(colours=dict(main="#d8303a", handle="#5a3a20", trim="#4f9a3a")),
    "mushroom": dict(colours=dict(main="#d83a2e", handle="#ece6d2", detail="#f8f4ec")),
    "torch": dict(colours=dict(main="#7a5230", trim="#8a7a5a", detail="#ffa63a")),
    "barrel": dict(colours=dict(main="#8a5a30", trim="#5a5e6a")),
    "crate": dict(colours=dict(main="#a87a48", trim="#6b4a2e")),
    "book": dict(colours=dict(main="#8a2a2a", trim="#ece6d2", detail="#d8b040")),
    "crown": dict(colours=dict(main="#e0b83a", detail="#d8303a")),
    "helmet": dict(colours=dict(main="#9aa3b0", detail="#c83a2e")),
    "skull": dict(colours=dict(main="#e0d8c0")),
    "lantern": dict(colours=dict(main="#4a4a56", detail="#ffc040")),
    "candle": dict(colours=dict(main="#ece6d2", detail="#ffa63a")),
    "bone": dict(colours=dict(main="#e8e0c8")),
    "flask": dict(colours=dict(main="#40b060", trim="#c8e0e8", handle="#8a6a4a")),
    "carrot": dict(colours=dict(main="#e8782a", trim="#4f9a3a")),
    "bag": dict(colours=dict(main="#a8845a", trim="#6b4a2e")),
    "star": dict(colours=dict(main="#f0d040")),
    "pickaxe": dict(colours=dict(main="#8a929e", handle="#7a5230")),
}
ITEM_SYNONYMS: dict[str, str] = {
    "blade": "sword", "longsword": "sword", "katana": "sword", "cutlass": "sword", "sabre": "sword",
    "saber": "sword", "broadsword": "sword", "scimitar": "sword", "rapier": "sword", "swords": "sword",
    "hatchet": "axe", "battleaxe": "axe", "lance": "spear", "pike": "spear", "trident": "spear",
    "halberd": "spear", "longbow": "bow", "crossbow": "bow", "stave": "staff", "rod": "staff",
    "scepter": "staff", "sceptre": "staff", "knife": "dagger", "dirk": "dagger", "mace": "hammer",
    "warhammer": "hammer", "maul": "hammer", "club": "hammer", "buckler": "shield", "potions": "potion",
    "elixir": "potion", "vial": "potion", "keys": "key", "coins": "coin", "gold_coin": "coin", "money": "coin",
    "gems": "gem", "jewel": "gem", "crystal": "gem", "diamond": "gem", "ruby": "gem", "emerald": "gem",
    "sapphire": "gem", "gemstone": "gem", "treasure": "chest", "chests": "chest", "coffer": "chest",
    "parchment": "scroll", "map": "scroll", "rings": "ring", "bombs": "bomb", "grenade": "bomb",
    "hearts": "heart", "life": "heart", "health": "heart", "apples": "apple", "fruit": "apple",
    "mushrooms": "mushroom", "toadstool": "mushroom", "shroom": "mushroom", "fungus": "mushroom",
    "torches": "torch", "keg": "barrel", "cask": "barrel", "barrels": "barrel", "box": "crate",
    "crates": "crate", "tome": "book", "spellbook": "book", "grimoire": "book", "books": "book",
    "tiara": "crown", "helm": "helmet", "lamp": "lantern", "bottle": "flask", "jar": "flask",
    "sack": "bag", "pouch": "bag", "pick": "pickaxe",
}
# item nouns that are also equipment on a character
ITEM_EQUIPMENT = {"sword", "axe", "spear", "bow", "staff", "wand", "dagger", "hammer", "shield", "torch"}

# ---------------------------------------------------------------------------------------------- colours
# The shared colour words, plus the materials a sprite's parts are often named by.
COLOURS: dict[str, str] = {
    **NAMED_COLOURS,
    "rust": "#9a4a22", "bone": "#d8cfb0", "iron": "#7a808a",
    "steel": "#9aa3b0", "wooden": "#8a5a30", "wood": "#8a5a30", "leather": "#7a4f2e", "stone": "#8a8680",
    "obsidian": "#2a2436", "jade": "#4aa87a", "ice": "#a8d8f0", "icy": "#a8d8f0", "frost": "#b8e0f0",
    "fire": "#e8582a", "fiery": "#e8582a", "flaming": "#e8582a", "lava": "#e8582a", "toxic": "#8de03a",
}
SHADE_WORDS: dict[str, float] = {
    "dark": -0.38, "deep": -0.3, "darker": -0.38, "light": 0.3, "pale": 0.42, "bright": 0.18, "pastel": 0.4,
    "lighter": 0.3,
}
# metals read as metal whatever they colour
METAL_COLOURS = {"gold", "golden", "silver", "iron", "steel", "copper", "bronze"}

# ---------------------------------------------------------------------------------------------- palettes
# Named palettes of our own (colour lists); spritekiln's built-in ramps (gothic, props) are added at run time
# by the renderer. The prompt compiler only needs the names.
PALETTES: dict[str, list[str]] = {
    "pico8": ["#000000", "#1d2b53", "#7e2553", "#008751", "#ab5236", "#5f574f", "#c2c3c7", "#fff1e8",
              "#ff004d", "#ffa300", "#ffec27", "#00e436", "#29adff", "#83769c", "#ff77a8", "#ffccaa"],
    "sweetie16": ["#1a1c2c", "#5d275d", "#b13e53", "#ef7d57", "#ffcd75", "#a7f070", "#38b764", "#257179",
                  "#29366f", "#3b5dc9", "#41a6f6", "#73eff7", "#f4f4f4", "#94b0c2", "#566c86", "#333c57"],
    "gameboy": ["#0f380f", "#306230", "#8bac0f", "#9bbc0f"],
    "cga": ["#000000", "#55ffff", "#ff55ff", "#ffffff"],
    "grayscale": ["#0c0c0c", "#2e2e2e", "#505050", "#747474", "#9a9a9a", "#c2c2c2", "#e8e8e8"],
}
BUILTIN_RAMP_PALETTES = ("gothic", "props")  # spritekiln's own, read by the renderer
PALETTE_NAMES: tuple[str, ...] = tuple(PALETTES) + BUILTIN_RAMP_PALETTES
PALETTE_WORDS: dict[str, str] = {
    "pico8": "pico8", "pico-8": "pico8", "pico": "pico8", "sweetie16": "sweetie16", "sweetie": "sweetie16",
    "gameboy": "gameboy", "gb": "gameboy", "dmg": "gameboy", "cga": "cga", "grayscale": "grayscale",
    "greyscale": "grayscale", "monochrome": "grayscale", "gothic": "gothic", "props": "props",
}

# words that only glue the prompt together: reported as filler, never as ignored
FILLER_WORDS = frozenset((
    "a", "an", "the", "with", "and", "of", "in", "on", "holding", "wearing", "wielding", "carrying", "his",
    "her", "its", "their", "that", "has", "having", "who", "is", "which", "to", "at", "for", "from", "by",
    "sprite", "pixel", "art", "style", "palette", "colour", "color", "colours", "colors", "coloured",
    "colored", "some", "one", "very", "made", "using", "plus", "or", "into", "over", "under", "while",
    "it", "he", "she", "they", "as", "like", "game", "asset", "icon", "rpg", "8-bit", "16-bit", "retro",
))
