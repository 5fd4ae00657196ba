"""Word lists for attribution: speech verbs, titles and roles, pronouns, words that are not names."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of the whitespace-separated words of a block."""
    return frozenset(text.split())


# Verbs that introduce speech or writing, in the forms news copy uses. Base forms that are more
# often nouns ("report", "post", "state", "call") are left out; their other forms are kept.
SPEECH_VERBS = word_set(
    """
    accused accuses accusing acknowledge acknowledged acknowledges acknowledging add added adding
    adds admit admits admitted admitting agree agreed agrees announced announces announcing answered
    argue argued argues arguing ask asked asking asks asserted asserting asserts assured assuring
    barked beamed begged begging bemoaned blasted blasting boasted boasting boasts branded branding
    called calling calls cautioned chanted chanting characterized characterizing charged charging
    chided cited cites citing claimed claiming claims complained complaining complains concede
    conceded conceding concluded concludes concluding condemned condemning confirmed confirms
    contend contended contending contends continued continues countered credited crediting cried
    criticised criticized criticizing declared declares declaring decried decrying defended
    defending demanded demanding demands denounced derided deriding describe described describes
    describing dismissed dismissing dubbed dubbing echoed echoing emailed emphasised emphasized
    emphasizing exclaimed explain explained explaining explains finds found fumed groused growled
    grumbled gushed hailed hailing imagined implored imploring insist insisted insisting insists
    interjected interjecting joked jokes joking knocked labeled labeling labelled lamented lamenting laments
    lashed maintain maintained maintaining maintains marveled mentioned mentioning mocked mocking
    mused noted notes noting observed observing pleaded pledged pledging posted praised praising
    predict predicted predicting predicts proclaimed proclaiming promised promises promising
    proposed proposes questioned questioning quipped quipping railed reacted reads recall recalled
    recalling recalls recounted recounting referenced referencing referred referring refers remarked
    remarks replied replies reply replying reported reports respond responded responding responds
    retorted revealed revealing reveals ridiculed ripped ripping roared said say saying says scoffed
    scolded scolding screamed shouted shouting sighed slammed slamming snapped snarled sniped spoke spoken
    stated stating stressed stresses stressing suggest suggested suggesting suggests tell telling
    tells termed terming testified texted thanked thanking thundered told touted touting tweeted
    tweeting urged urges urging vowed vowing vows warn warned warning warns welcomed whispered
    wondered wonders write writes writing written wrote yelled
    """
)

# Nouns of speech after a possessive: "Sanders's call for a “revolution”", "Trump's assertion that".
SPEECH_NOUNS = word_set(
    """
    accusation admission answer argument assertion assertions boast call calls characterization
    charge claim claims comment comments cry declaration demand description dictum insistence joke
    line mantra message motto plea pledge prediction promise promises quip rallying refrain remark
    remarks reply response retort slogan speech statement statements suggestion tweet tweets vow
    vows warning warnings word words
    """
)

# Participles: their subject is the subject of the main clause ("…, adding that …").
PARTICIPLE_CUES = frozenset(w for w in SPEECH_VERBS if w.endswith("ing"))

# "X said" may be written "X has said", "X also said", "X later told reporters".
AUXILIARIES = word_set(
    """
    again also are did do does even first further had has have initially is just later never now
    often once previously recently repeatedly reportedly since still subsequently then was were will
    would
    """
)

TITLE_ABBREVIATIONS = word_set(
    """
    adm. amb. atty. capt. cmdr. col. dr dr. gen gen. gov gov. lt. maj. miss mr mr. mrs mrs. ms ms.
    msgr. pres. prof. rep rep. reps. rev. sec. sen sen. sens. sgt. st. supt.
    """
)

FEMALE_TITLES = word_set(
    """
    lady madam miss mrs mrs. ms ms. queen
    """
)

MALE_TITLES = word_set(
    """
    king lord mr mr. prince sir
    """
)

# Words of a role or title: in "Kremlin spokesman Dmitry Peskov" the name starts after the last one.
ROLE_WORDS = word_set(
    """
    acting activist adm. administrator adviser advisor agency aide ambassador analyst anchor
    attorney author campaign candidate capt. ceo chair chairman chairperson chairwoman chancellor
    chief chief's cia co-founder col. columnist commander commissioner committee congressman
    congresswoman consultant contributor coordinator correspondent council counsel crown dame
    defence defense delegate democratic department deputy director doj dr. economist editor emir
    envoy eu executive fbi first foreign former founder gen. general general's gop gov. governor
    head historian host house interim judge justice king kremlin lady lawmaker lawyer leader leaders
    lord lt. maj. majority manager mayor member members mep minister ministry minority miss mp mr.
    mrs. ms. national nato negotiator news nominee nsa office officer official officials pentagon
    pollster pope premier president president's president-elect presidential press prime prince
    producer prof. professor queen rep. reporter representative reps. republican retired rev.
    reverend scholar secretary secretary's secretary-general security sen. senate senator senior
    sens. service sgt. sheikh sheriff sir speaker special spokesman spokesman's spokespeople
    spokesperson spokeswoman state strategist superintendent top treasury u.n. u.s. un us vice white
    writer
    """
)

# Role heads that a definite description can refer back with ("the president", "the senator").
ROLE_HEADS = word_set(
    """
    ambassador candidate chairman chancellor chief commander congressman congresswoman director
    envoy general governor judge king lawmaker leader mayor minister nominee official pope premier
    president prince queen secretary senator speaker spokesman spokesperson spokeswoman
    """
)

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "i": "", "we": "", "they": "", "it": ""}

# Capitalised words that never start or make up a person's name.
NOT_NAMES = word_set(
    """
    a about according advertisement after all also although americans an analysts and another ap
    apr. april as asked at aug. august because before both but by click critics dec. december
    democrats despite dr during each earlier early every experts feb. february for friday from getty
    he her here his how however i if in indeed into it its jan. january jul. july jun. june last
    later many mar. march may meanwhile monday more most mr mrs ms my next no nor not nov. november
    now oct. october of official officials on one or other our over people photo related republicans
    reuters saturday sep. sept. september several share she since so some source sources speaking
    still sunday supporters that the their then there these they this those though three thursday to
    today tomorrow tonight tuesday two under unless until voters we wednesday what when where which
    while who why with without yesterday yet you your
    """
)

TIME_WORDS = word_set(
    """
    afternoon april august december evening february friday january july june march may monday month
    morning night november october saturday september sunday thursday today tomorrow tonight tuesday
    wednesday week weekend year yesterday
    """
)

# Lower-case particles inside names: "Mohammed bin Salman", "Ursula von der Leyen".
NAME_PARTICLES = word_set(
    """
    abu al al- ben bin da de del della den der di dos du el ibn la le ter van von
    """
)

NAME_SUFFIXES = word_set(
    """
    ii iii iv jr jr. sr sr.
    """
)

# Subjects that stand for unnamed people: the speaker stays unknown.
ANONYMOUS_HEADS = word_set(
    """
    aide aides analyst analysts critic critics diplomat diplomats expert experts insider insiders
    lawmakers many observer observers official officials others people person reporter reporters
    resident residents some somebody someone source sources spokesman spokesperson spokeswoman
    witness witnesses
    """
)

# Words that make a capitalised phrase a body, not a person ("Marsh Landing Country Club").
ORG_WORDS = word_set(
    """
    administration agency alliance association bank board campaign caucus center centre church club
    coalition college commission committee company congress corp council court department foundation
    fund gazette government group herald inc institute journal league magazine ministry network news
    office organisation organization parliament party post school senate service team times tribune
    union university
    """
)

# A few common female given names, to keep "she" from resolving to a man (and back).
FEMALE_GIVEN_NAMES = word_set(
    """
    amanda amy andrea angela ann anna anne barbara carly chelsea debbie diane donna elise elizabeth
    emily erin frederica gina giorgia hannah heather helen hillary hope huma ivanka jane janet
    jeanne jennifer jessica jill joni judith julia julie kaja kamala karen karoline kate katherine
    kathleen kelly kellyanne kirsten kristi laura linda lindsey lisa liz lori mallory margaret maria
    marianne marine marsha mary maxine megyn melania michelle mika molly nancy nicole nikki olena
    pam pamela patricia rachel rebecca robin rosa ruth sally samantha sandra sarah sharon sheryl
    sonia stacey stephanie susan susanne tammy theresa tina tulsi ursula valerie victoria wendy
    yulia
    """
)
