"""Each lexicon and rule of the tag-suggestion engine, on sentences written for these tests
(issue 14): perpetrators named by role, abuses described rather than named, negation, law
clauses, hypotheticals, victims and sources, a slave narrative's context, prison
conditions and confidences, in English and Spanish. The rules are those of
../shared/eval/README.md ("Labelling rules")."""

from __future__ import annotations

import pytest

from testimony_archive.tagging import Suggestion, TagContext, Tagger
from testimony_archive.vocabulary import load_vocabulary

REPORT_EN = TagContext(kind="report_excerpt", language="en", locations=("MX",))
REPORT_ES = TagContext(kind="report_excerpt", language="es", locations=("MX",))
TESTIMONY_EN = TagContext(kind="testimony", language="en")
TESTIMONY_ES = TagContext(kind="testimony", language="es")
SLAVE_NARRATIVE = TagContext(kind="testimony", language="en", slavery=True)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_vocabulary())


def suggest(tagger: Tagger, text: str, context: TagContext) -> Suggestion:
    suggestion = tagger.suggest(text, context)
    for item in suggestion.evidence:  # every suggestion must point into the text
        assert text[item.start : item.end] == item.text
    return suggestion


def named(suggestion: Suggestion, field: str) -> set[str]:
    """The values of a field that some words of the paragraph point to."""
    return {item.value for item in suggestion.evidence if item.field == field}


# -- perpetrators named by role --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "abuse_type", "perpetrators"),
    [
        # police
        (
            "Police officers beat the protesters in the square.",
            REPORT_EN,
            "torture.beating",
            {"police"},
        ),
        (
            "Los policías golpearon a los manifestantes en la plaza.",
            REPORT_ES,
            "torture.beating",
            {"police"},
        ),
        # military, and "security forces" with no body named
        ("Soldiers tortured two farmers during the raid.", REPORT_EN, "torture", {"military"}),
        ("Marines tortured a fisherman.", REPORT_EN, "torture", {"military"}),
        ("Los soldados torturaron a dos campesinos.", REPORT_ES, "torture", {"military"}),
        ("Los marinos torturaron a un pescador.", REPORT_ES, "torture", {"military"}),
        (
            "Security forces killed four demonstrators.",
            REPORT_EN,
            "life.killing",
            {"police", "military"},
        ),
        # national guard
        (
            "National Guard members beat the migrants at the checkpoint.",
            REPORT_EN,
            "torture.beating",
            {"national-guard"},
        ),
        (
            "Guardsmen fired tear gas at the protesters.",
            REPORT_EN,
            "torture.chemical",
            {"national-guard"},
        ),
        (
            "Elementos de la Guardia Nacional golpearon a los migrantes.",
            REPORT_ES,
            "torture.beating",
            {"national-guard"},
        ),
        # immigration
        (
            "Immigration agents beat the migrants at the station.",
            REPORT_EN,
            "torture.beating",
            {"immigration"},
        ),
        (
            "Border Patrol agents kicked a teenager at the fence.",
            REPORT_EN,
            "torture.beating",
            {"immigration"},
        ),
        (
            "Los agentes migratorios golpearon a los migrantes.",
            REPORT_ES,
            "torture.beating",
            {"immigration"},
        ),
        (
            "La migra golpeó a los jornaleros en la frontera.",
            REPORT_ES,
            "torture.beating",
            {"immigration"},
        ),
        (
            "Agentes de migración extorsionaron a los migrantes.",
            REPORT_ES,
            "property.extortion",
            {"immigration"},
        ),
        # detention staff
        (
            "Prison guards beat the inmates after the riot.",
            REPORT_EN,
            "torture.beating",
            {"detention-staff"},
        ),
        (
            "Jailers beat the prisoners with batons.",
            REPORT_EN,
            "torture.beating",
            {"detention-staff"},
        ),
        (
            "Los custodios golpearon a los internos.",
            REPORT_ES,
            "torture.beating",
            {"detention-staff"},
        ),
        ("Los carceleros golpearon a los reos.", REPORT_ES, "torture.beating", {"detention-staff"}),
        # judicial: judges and prosecutors for detention without trial
        (
            "The judge kept the defendants in pretrial detention for four years.",
            REPORT_EN,
            "liberty.arbitrary-detention",
            {"judicial"},
        ),
        (
            "Prosecutors kept the suspects in pretrial detention for years beyond the legal limit.",
            REPORT_EN,
            "liberty.arbitrary-detention",
            {"judicial"},
        ),
        (
            "Los jueces mantuvieron a los acusados en prisión preventiva prolongada.",
            REPORT_ES,
            "liberty.arbitrary-detention",
            {"judicial"},
        ),
        (
            "El juez mantuvo a los acusados detenidos sin juicio durante años.",
            REPORT_ES,
            "liberty.arbitrary-detention",
            {"judicial"},
        ),
        # organised crime
        (
            "Gang members kidnapped the bus driver.",
            REPORT_EN,
            "liberty.kidnapping",
            {"organized-crime"},
        ),
        (
            "Narcotraffickers kidnapped twenty migrants.",
            REPORT_EN,
            "liberty.kidnapping",
            {"organized-crime"},
        ),
        (
            "Los pandilleros secuestraron al conductor.",
            REPORT_ES,
            "liberty.kidnapping",
            {"organized-crime"},
        ),
        (
            "Miembros del cártel secuestraron a tres migrantes.",
            REPORT_ES,
            "liberty.kidnapping",
            {"organized-crime"},
        ),
        (
            "Los sicarios asesinaron a dos comerciantes.",
            REPORT_ES,
            "life.killing",
            {"organized-crime"},
        ),
        # militia
        ("Paramilitaries killed the village leader.", REPORT_EN, "life.killing", {"militia"}),
        ("Guerrillas kidnapped the mayor's son.", REPORT_EN, "liberty.kidnapping", {"militia"}),
        ("Colectivos beat the students with pipes.", REPORT_EN, "torture.beating", {"militia"}),
        (
            "Los paramilitares asesinaron al líder comunitario.",
            REPORT_ES,
            "life.killing",
            {"militia"},
        ),
        (
            "Los guerrilleros secuestraron a un ganadero.",
            REPORT_ES,
            "liberty.kidnapping",
            {"militia"},
        ),
        (
            "Los colectivos armados golpearon a los estudiantes.",
            REPORT_ES,
            "torture.beating",
            {"militia"},
        ),
        # private individuals: smugglers, employers, relatives
        (
            "The smugglers abandoned and beat the migrants in the desert.",
            REPORT_EN,
            "torture.beating",
            {"private-individual"},
        ),
        (
            "Coyotes abandoned the migrants and stole their money.",
            REPORT_EN,
            "property.theft",
            {"private-individual"},
        ),
        (
            "Her employer withheld wages and beat her.",
            REPORT_EN,
            "exploitation.forced-labour",
            {"private-individual"},
        ),
        (
            "The landowner forced workers to harvest coffee without pay.",
            REPORT_EN,
            "exploitation.forced-labour",
            {"private-individual"},
        ),
        ("Her husband beat her repeatedly.", REPORT_EN, "torture.beating", {"private-individual"}),
        (
            "Los polleros golpearon a los migrantes.",
            REPORT_ES,
            "torture.beating",
            {"private-individual"},
        ),
        (
            "El coyote les robó el dinero a los migrantes.",
            REPORT_ES,
            "property.theft",
            {"private-individual"},
        ),
        (
            "Los empleadores golpearon a los jornaleros.",
            REPORT_ES,
            "torture.beating",
            {"private-individual"},
        ),
        (
            "El patrón golpeó a los jornaleros.",
            REPORT_ES,
            "torture.beating",
            {"private-individual"},
        ),
        (
            "El hacendado obligó a los peones a trabajar sin paga.",
            REPORT_ES,
            "exploitation.forced-labour",
            {"private-individual"},
        ),
        (
            "El capataz nos golpeó con un cinturón.",
            TESTIMONY_ES,
            "torture.beating",
            {"private-individual"},
        ),
        # unknown, named as such
        (
            "Unknown assailants shot and killed the journalist.",
            REPORT_EN,
            "life.killing",
            {"unknown"},
        ),
        (
            "Masked men abducted the activist from her home.",
            REPORT_EN,
            "liberty.kidnapping",
            {"unknown"},
        ),
        ("Hombres armados asesinaron al periodista.", REPORT_ES, "life.killing", {"unknown"}),
        ("Unos desconocidos asesinaron al periodista.", REPORT_ES, "life.killing", {"unknown"}),
    ],
)
def test_a_perpetrator_named_by_role(
    tagger: Tagger, text: str, context: TagContext, abuse_type: str, perpetrators: set[str]
) -> None:
    suggestion = suggest(tagger, text, context)
    assert abuse_type in suggestion.abuse_types
    assert set(suggestion.perpetrators) == perpetrators
    assert named(suggestion, "perpetrators") == perpetrators  # the role noun is the evidence


@pytest.mark.parametrize(
    ("text", "context", "abuse_type"),
    [
        ("The journalist was tortured.", REPORT_EN, "torture"),
        ("Migrants were robbed on the train.", REPORT_EN, "property.theft"),
        ("El periodista fue torturado.", REPORT_ES, "torture"),
        ("Los migrantes fueron golpeados en el tren.", REPORT_ES, "torture.beating"),
        ("They whipped him till the blood ran down.", TESTIMONY_EN, "torture.beating"),
    ],
)
def test_an_abuse_with_nobody_named_is_unknown(
    tagger: Tagger, text: str, context: TagContext, abuse_type: str
) -> None:
    suggestion = suggest(tagger, text, context)
    assert suggestion.abuse_types == (abuse_type,)
    assert suggestion.perpetrators == ("unknown",)
    assert named(suggestion, "perpetrators") == set()  # a convention, no words


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("The activists were held in prison for months without trial.", REPORT_EN),
        ("Authorities arbitrarily detained dozens of opposition members.", REPORT_EN),
        ("Los acusados siguen detenidos sin juicio.", REPORT_ES),
    ],
)
def test_detention_with_no_service_named_is_judicial(
    tagger: Tagger, text: str, context: TagContext
) -> None:
    assert suggest(tagger, text, context).perpetrators == ("judicial",)


# -- abuses described rather than named ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "abuse_types"),
    [
        # incommunicado
        (
            "Police held the activist for five days without allowing him to call a lawyer.",
            REPORT_EN,
            {"liberty.incommunicado"},
        ),
        (
            "Officers did not inform the families of the detained students.",
            REPORT_EN,
            {"liberty.incommunicado"},
        ),
        (
            "The detainees were denied access to their lawyers for two weeks.",
            REPORT_EN,
            {"liberty.incommunicado"},
        ),
        ("Lo mantuvieron incomunicado durante cuatro días.", REPORT_ES, {"liberty.incommunicado"}),
        (
            "Los detenidos estuvieron sin acceso a un abogado durante una semana.",
            REPORT_ES,
            {"liberty.incommunicado"},
        ),
        ("No les permitieron llamar a sus familiares.", REPORT_ES, {"liberty.incommunicado"}),
        # forced labour
        (
            "The gang forced migrants to work on a ranch for months.",
            REPORT_EN,
            {"exploitation.forced-labour"},
        ),
        (
            "The women worked without pay in the factory for two years.",
            REPORT_EN,
            {"exploitation.forced-labour"},
        ),
        (
            "Los obligaron a trabajar en los campos de amapola.",
            REPORT_ES,
            {"exploitation.forced-labour"},
        ),
        ("Los jornaleros trabajaban sin sueldo.", REPORT_ES, {"exploitation.forced-labour"}),
        ("Denunciaron trabajo forzoso en las fincas.", REPORT_ES, {"exploitation.forced-labour"}),
        # family separation
        (
            "Border agents separated the children from their parents at the crossing.",
            REPORT_EN,
            {"family-separation"},
        ),
        ("Hundreds of families were separated at the border.", REPORT_EN, {"family-separation"}),
        ("Los agentes separaron a los niños de sus padres.", REPORT_ES, {"family-separation"}),
        ("Las familias separadas esperan noticias.", REPORT_ES, {"family-separation"}),
        # deprivation
        (
            "Guards denied the detainees food and water for two days.",
            REPORT_EN,
            {"torture.deprivation"},
        ),
        ("The migrants were kept without food for three days.", REPORT_EN, {"torture.deprivation"}),
        ("Los custodios les negaron comida y agua.", REPORT_ES, {"torture.deprivation"}),
        ("Los tuvieron dos días sin agua.", REPORT_ES, {"torture.deprivation"}),
        # forced positions
        (
            "The men were forced to kneel for hours in the sun.",
            REPORT_EN,
            {"torture.forced-position"},
        ),
        (
            "Police kept the suspect handcuffed for hours to a chair.",
            REPORT_EN,
            {"torture.forced-position"},
        ),
        (
            "The guards suspended him by his wrists from the ceiling.",
            REPORT_EN,
            {"torture.forced-position"},
        ),
        (
            "Los policías lo tuvieron amarrado de pies y manos.",
            REPORT_ES,
            {"torture.forced-position"},
        ),
        ("Lo colgaron de los brazos durante horas.", REPORT_ES, {"torture.forced-position"}),
        (
            "Los obligaron a permanecer hincados durante horas.",
            REPORT_ES,
            {"torture.forced-position"},
        ),
        # killings
        ("Soldiers shot him dead at the roadblock.", REPORT_EN, {"life.killing"}),
        ("Residents discovered a clandestine grave near the river.", REPORT_EN, {"life.killing"}),
        (
            "The bodies of three men were found with signs of torture.",
            REPORT_EN,
            {"life.killing", "torture"},
        ),
        ("Hallaron una fosa clandestina en el cerro.", REPORT_ES, {"life.killing"}),
        ("Lo mataron a golpes en la celda.", REPORT_ES, {"life.killing", "torture.beating"}),
        # trafficking
        (
            "The network arranged the sale of girls to bars in the city.",
            REPORT_EN,
            {"exploitation.trafficking"},
        ),
        ("La red se dedicaba a la trata de personas.", REPORT_ES, {"exploitation.trafficking"}),
        # arbitrary arrest and detention
        (
            "Police arrested the students without explanation.",
            REPORT_EN,
            {"liberty.arbitrary-arrest"},
        ),
        (
            "Officers detained the journalist for reporting on the protest.",
            REPORT_EN,
            {"liberty.arbitrary-arrest"},
        ),
        ("La policía detuvo a los jóvenes sin motivo.", REPORT_ES, {"liberty.arbitrary-arrest"}),
        (
            "Los arrestaron arbitrariamente durante la marcha.",
            REPORT_ES,
            {"liberty.arbitrary-arrest"},
        ),
        (
            "The activists were held in prison for months without trial.",
            REPORT_EN,
            {"liberty.arbitrary-detention"},
        ),
        (
            "Permanecieron en prisión preventiva más de tres años.",
            REPORT_ES,
            {"liberty.arbitrary-detention"},
        ),
    ],
)
def test_an_abuse_described_rather_than_named(
    tagger: Tagger, text: str, context: TagContext, abuse_types: set[str]
) -> None:
    suggestion = suggest(tagger, text, context)
    assert set(suggestion.abuse_types) == abuse_types
    assert named(suggestion, "abuse_types") == abuse_types


def test_an_arrest_alone_is_no_abuse(tagger: Tagger) -> None:
    # "arrested" and "detenidos" are ordinary acts; only the way they are told makes them
    # arbitrary ("without explanation", "sin motivo")
    assert suggest(tagger, "Police arrested the suspect at his home.", REPORT_EN) == Suggestion()
    assert suggest(tagger, "Los detenidos fueron trasladados.", REPORT_ES) == Suggestion()


# -- negation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("There were no reports of torture in the state prisons this year.", REPORT_EN),
        ("Human rights groups documented no cases of forced disappearance.", REPORT_EN),
        ("The commission received no complaints of police beatings.", REPORT_EN),
        ("Nobody was beaten during the transfer.", REPORT_EN),
        ("Soldiers did not torture the prisoners.", REPORT_EN),
        ("They never beat us on the farm.", TESTIMONY_EN),
        ("No hubo denuncias de tortura en las cárceles del estado.", REPORT_ES),
        ("La comisión no recibió quejas de golpes por parte de policías.", REPORT_ES),
        ("Nunca hubo secuestros en el municipio.", REPORT_ES),
        ("Ningún detenido fue torturado.", REPORT_ES),
        ("Los soldados no torturaron a los presos.", REPORT_ES),
        ("La policía nunca golpeó a los detenidos.", REPORT_ES),
        ("Nunca nos golpearon en la estación.", TESTIMONY_ES),
    ],
)
def test_a_denied_abuse_gives_no_tags(tagger: Tagger, text: str, context: TagContext) -> None:
    assert suggest(tagger, text, context) == Suggestion()


@pytest.mark.parametrize(
    ("text", "context", "abuse_types"),
    [
        # "not only" is no denial
        (
            "Police not only beat the men but also robbed them.",
            REPORT_EN,
            {"torture.beating", "property.theft"},
        ),
        # a denial does not reach past "but"
        (
            "The guards did not feed the dogs, but they beat the prisoners.",
            REPORT_EN,
            {"torture.beating"},
        ),
    ],
)
def test_what_only_looks_like_a_denial(
    tagger: Tagger, text: str, context: TagContext, abuse_types: set[str]
) -> None:
    assert set(suggest(tagger, text, context).abuse_types) == abuse_types


# -- law clauses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("The constitution prohibits torture and cruel punishment.", REPORT_EN),
        ("The penal code criminalizes kidnapping and extortion.", REPORT_EN),
        ("The law prohibits torture, and police generally respected this prohibition.", REPORT_EN),
        ("The law prohibits torture. The government opened a new training academy.", REPORT_EN),
        # a violation told before the law clause does not revive it
        ("Police frequently ignored court orders. The law prohibits torture.", REPORT_EN),
        ("La constitución prohíbe las detenciones arbitrarias.", REPORT_ES),
        ("La ley prohíbe las detenciones arbitrarias. El gobierno creó una comisión.", REPORT_ES),
    ],
)
def test_a_law_clause_alone_gives_no_tags(tagger: Tagger, text: str, context: TagContext) -> None:
    assert suggest(tagger, text, context) == Suggestion()


@pytest.mark.parametrize(
    ("text", "context", "abuse_type", "words"),
    [
        # in the same sentence
        (
            "The law prohibits torture, but police frequently violated this prohibition.",
            REPORT_EN,
            "torture",
            "torture",
        ),
        (
            "The law prohibits arbitrary arrest, but police did not always respect these provisions.",
            REPORT_EN,
            "liberty.arbitrary-arrest",
            "arbitrary arrest",
        ),
        (
            "La ley prohíbe la tortura, pero en la práctica no se respetó.",
            REPORT_ES,
            "torture",
            "tortura",
        ),
        # two sentences later
        (
            "The law prohibits arbitrary arrest. The courts hear complaints. In practice, police frequently ignored this prohibition.",
            REPORT_EN,
            "liberty.arbitrary-arrest",
            "arbitrary arrest",
        ),
        (
            "La ley prohíbe las detenciones arbitrarias. El gobierno creó una comisión. Sin embargo, la policía no respetó estas disposiciones.",
            REPORT_ES,
            "liberty.arbitrary-arrest",
            "detenciones arbitrarias",
        ),
    ],
)
def test_a_law_clause_counts_when_a_violation_is_reported(
    tagger: Tagger, text: str, context: TagContext, abuse_type: str, words: str
) -> None:
    suggestion = suggest(tagger, text, context)
    assert abuse_type in suggestion.abuse_types
    evidence = {(item.value, item.text) for item in suggestion.evidence}
    assert (abuse_type, words) in evidence  # the words of the law clause itself


# -- hypotheticals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("supposed", "done", "context", "abuse_type"),
    [
        (
            "Migrants without papers could face deportation.",
            "Migrants without papers faced deportation.",
            REPORT_EN,
            "expulsion.deportation",
        ),
        (
            "Asylum seekers who lose their cases may be deported within days.",
            "Asylum seekers who lost their cases were deported within days.",
            REPORT_EN,
            "expulsion.deportation",
        ),
        (
            "The families feared they would be kidnapped on the road.",
            "The families were kidnapped on the road.",
            REPORT_EN,
            "liberty.kidnapping",
        ),
        (
            "The witnesses were afraid of being tortured by police.",
            "The witnesses were tortured by police.",
            REPORT_EN,
            "torture",
        ),
        (
            "Activists are at risk of arbitrary detention.",
            "Activists suffered arbitrary detention.",
            REPORT_EN,
            "liberty.arbitrary-detention",
        ),
        (
            "Residents feared that gang members would kidnap their children.",
            "Gang members kidnapped their children.",
            REPORT_EN,
            "liberty.kidnapping",
        ),
        (
            "Los migrantes temían ser secuestrados en el camino.",
            "Los migrantes fueron secuestrados en el camino.",
            REPORT_ES,
            "liberty.kidnapping",
        ),
        (
            "Los testigos tenían miedo de ser torturados por la policía.",
            "Los testigos fueron torturados por la policía.",
            REPORT_ES,
            "torture",
        ),
        (
            "Los solicitantes podrían ser deportados.",
            "Los solicitantes fueron deportados.",
            REPORT_ES,
            "expulsion.deportation",
        ),
        (
            "Los periodistas están en riesgo de ser asesinados por el crimen organizado.",
            "Los periodistas fueron asesinados por el crimen organizado.",
            REPORT_ES,
            "life.killing",
        ),
        # in a report, "would" tells what might happen
        (
            "She said she would be killed if returned to her country.",
            "She was killed after she returned to her country.",
            REPORT_EN,
            "life.killing",
        ),
        (
            "He stated that he would be tortured if deported.",
            "He was tortured after he was deported.",
            REPORT_EN,
            "torture",
        ),
        (
            "Declaró que sería asesinada si la deportaban.",
            "Fue asesinada cuando la deportaron.",
            REPORT_ES,
            "life.killing",
        ),
    ],
)
def test_a_supposed_abuse_gives_no_tags(
    tagger: Tagger, supposed: str, done: str, context: TagContext, abuse_type: str
) -> None:
    assert suggest(tagger, supposed, context) == Suggestion()
    assert abuse_type in suggest(tagger, done, context).abuse_types  # the words are known


@pytest.mark.parametrize(
    ("text", "perpetrators"),
    [
        ("They would whip us every Saturday night.", {"unknown"}),
        ("The overseer would whip us when we were late.", {"private-individual"}),
    ],
)
def test_in_a_testimony_would_tells_what_used_to_happen(
    tagger: Tagger, text: str, perpetrators: set[str]
) -> None:
    suggestion = suggest(tagger, text, TESTIMONY_EN)
    assert suggestion.abuse_types == ("torture.beating",)
    assert set(suggestion.perpetrators) == perpetrators


def test_a_beating_held_over_someone_is_a_threat(tagger: Tagger) -> None:
    text = "If we didn't finish the row, they would whip us."
    assert suggest(tagger, text, TESTIMONY_EN).abuse_types == ("psychological.threats",)


# -- victims and sources ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("The report documented killings of soldiers and police officers by cartels.", REPORT_EN),
        ("Gangs carried out killings of prison guards.", REPORT_EN),
        ("Gang members murdered two soldiers.", REPORT_EN),
        ("Criminals attacked and killed three National Guard members.", REPORT_EN),
        ("Threats against judges and prosecutors by gang members increased.", REPORT_EN),
        ("Los pandilleros asesinaron a dos policías.", REPORT_ES),
        ("Los pandilleros cometieron asesinatos de policías y custodios.", REPORT_ES),
        ("Los sicarios amenazaron a jueces y fiscales.", REPORT_ES),
        ("Denunciaron amenazas contra jueces y fiscales por parte de pandilleros.", REPORT_ES),
    ],
)
def test_victims_are_not_perpetrators(tagger: Tagger, text: str, context: TagContext) -> None:
    assert suggest(tagger, text, context).perpetrators == ("organized-crime",)


@pytest.mark.parametrize(
    ("text", "context", "perpetrators"),
    [
        ("The Public Ministry registered twelve complaints of torture.", REPORT_EN, {"unknown"}),
        ("The prosecutor's office investigated four killings.", REPORT_EN, {"unknown"}),
        ("A court sentenced two men for the murder of a journalist.", REPORT_EN, {"unknown"}),
        (
            "According to the National Guard, the gang kidnapped the mayor.",
            REPORT_EN,
            {"organized-crime"},
        ),
        (
            "Prosecutors charged three soldiers with the torture of a detainee.",
            REPORT_EN,
            {"military"},
        ),
        ("La Fiscalía informó de seis casos de tortura.", REPORT_ES, {"unknown"}),
        ("El Ministerio Público registró diez secuestros.", REPORT_ES, {"unknown"}),
        ("La Fiscalía investigó el asesinato de un periodista.", REPORT_ES, {"unknown"}),
        ("Según la Fiscalía, los policías torturaron a tres detenidos.", REPORT_ES, {"police"}),
    ],
)
def test_who_reports_or_judges_an_abuse_did_not_commit_it(
    tagger: Tagger, text: str, context: TagContext, perpetrators: set[str]
) -> None:
    assert set(suggest(tagger, text, context).perpetrators) == perpetrators


# -- a slave narrative's context -------------------------------------------------------


def test_in_a_slave_narrative_an_unnamed_doer_is_the_enslaver(tagger: Tagger) -> None:
    text = "They whipped him till the blood ran down."
    assert suggest(tagger, text, SLAVE_NARRATIVE).perpetrators == ("private-individual",)
    assert suggest(tagger, text, TESTIMONY_EN).perpetrators == ("unknown",)


def test_a_named_doer_outweighs_the_narrative(tagger: Tagger) -> None:
    text = "After freedom came, the Klan whipped my uncle."
    assert suggest(tagger, text, SLAVE_NARRATIVE).perpetrators == ("militia",)


def test_enslaved_work_is_forced_labour(tagger: Tagger) -> None:
    text = "We worked in the fields from sunup to sundown."
    suggestion = suggest(tagger, text, SLAVE_NARRATIVE)
    assert suggestion.abuse_types == ("exploitation.forced-labour",)
    assert suggestion.perpetrators == ("private-individual",)
    assert suggest(tagger, text, TESTIMONY_EN) == Suggestion()  # work, not said to be enslaved


def test_an_enslaved_child_put_to_work(tagger: Tagger) -> None:
    text = "When I was a little girl I had to tote water to the hands."
    suggestion = suggest(tagger, text, SLAVE_NARRATIVE)
    assert set(suggestion.abuse_types) == {
        "exploitation.child-labour",
        "exploitation.forced-labour",
    }


@pytest.mark.parametrize(
    "text",
    [
        "After freedom we worked in the fields for wages.",
        "After the surrender my uncle worked his own land from sunup to sundown.",
        "We had plenty to eat and went to church on Sundays.",  # daily life, no coercion
    ],
)
def test_a_narrative_paragraph_about_freedom_or_daily_life(tagger: Tagger, text: str) -> None:
    assert suggest(tagger, text, SLAVE_NARRATIVE) == Suggestion()


def test_a_sale_away_from_family_in_a_narrative(tagger: Tagger) -> None:
    suggestion = suggest(tagger, "They sold my brother to a trader from Texas.", SLAVE_NARRATIVE)
    assert set(suggestion.abuse_types) == {"exploitation.trafficking", "family-separation"}
    assert suggestion.perpetrators == ("private-individual",)


def test_an_overseer_named_in_a_testimony(tagger: Tagger) -> None:
    text = "The overseer whipped the hands that were slow."
    assert suggest(tagger, text, TESTIMONY_EN).perpetrators == ("private-individual",)


# -- prison conditions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context", "abuse_types"),
    [
        (
            "Prisons remained severely overcrowded and lacked medical care.",
            REPORT_EN,
            {"psychological.isolation", "torture.deprivation"},
        ),
        (
            "Inmates in the state prison lacked access to clean water.",
            REPORT_EN,
            {"torture.deprivation"},
        ),
        ("Conditions in the jails were harsh and unsanitary.", REPORT_EN, {"psychological"}),
        ("Several inmates died in custody.", REPORT_EN, {"life.death-in-custody"}),
        (
            "En el penal los reos vivían sin agua y sin atención médica.",
            REPORT_ES,
            {"torture.deprivation"},
        ),
        ("El penal sufre hacinamiento.", REPORT_ES, {"psychological.isolation"}),
    ],
)
def test_prison_conditions_are_the_prison_staffs(
    tagger: Tagger, text: str, context: TagContext, abuse_types: set[str]
) -> None:
    suggestion = suggest(tagger, text, context)
    assert set(suggestion.abuse_types) == abuse_types
    assert suggestion.perpetrators == ("detention-staff",)


def test_prison_conditions_add_the_staff_to_who_is_named(tagger: Tagger) -> None:
    suggestion = suggest(tagger, "Police beat detainees in overcrowded cells.", REPORT_EN)
    assert set(suggestion.perpetrators) == {"police", "detention-staff"}


def test_overcrowding_outside_a_prison_is_nobody_named(tagger: Tagger) -> None:
    text = "Overcrowding in the migrant camp forced families to sleep outside."
    assert suggest(tagger, text, REPORT_EN).perpetrators == ("unknown",)


# -- confidences -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Soldiers tortured two farmers in Tapachula.", REPORT_EN),
        ("The journalist was tortured.", REPORT_EN),
        ("Prisons remained severely overcrowded and lacked medical care.", REPORT_EN),
        ("Los policías lo tuvieron amarrado de pies y manos.", REPORT_ES),
        ("They sold my brother to a trader from Texas.", SLAVE_NARRATIVE),
    ],
)
def test_every_suggested_value_has_one_confidence(
    tagger: Tagger, text: str, context: TagContext
) -> None:
    suggestion = suggest(tagger, text, context)
    values = [
        (field, value)
        for field in ("locations", "abuse_types", "perpetrators")
        for value in getattr(suggestion, field)
    ]
    assert values
    assert sorted((c.field, c.value) for c in suggestion.confidences) == sorted(values)
    assert all(0 < c.score <= 1 for c in suggestion.confidences)
    assert suggestion.confidence("perpetrators", "militia") == 0.0  # not suggested


def test_a_tag_named_in_the_text_scores_higher_than_a_convention(tagger: Tagger) -> None:
    unnamed = suggest(tagger, "The journalist was tortured.", REPORT_EN)
    assert unnamed.confidence("abuse_types", "torture") > unnamed.confidence(
        "perpetrators", "unknown"
    )
    said = suggest(tagger, "Unknown assailants tortured the journalist.", REPORT_EN)
    assert said.confidence("perpetrators", "unknown") > unnamed.confidence(
        "perpetrators", "unknown"
    )


def test_at_least_drops_lower_values_with_their_evidence(tagger: Tagger) -> None:
    text = "Police kept the suspect handcuffed for hours to a chair."
    suggestion = suggest(tagger, text, REPORT_EN)
    loose = suggestion.confidence("abuse_types", "torture.forced-position")
    police = suggestion.confidence("perpetrators", "police")
    assert 0 < loose < police
    kept = suggestion.at_least(police)
    assert kept.abuse_types == ()
    assert kept.perpetrators == ("police",)
    assert {item.value for item in kept.evidence} <= {"police", "MX"}
    assert all(c.score >= police for c in kept.confidences)
    assert suggestion.at_least(0.0) == suggestion
    assert suggestion.at_least(1.01) == Suggestion()
