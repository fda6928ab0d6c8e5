// The words that travel with a disclosure and the notice a patient is given at intake
// (issue 16, docs/consent.md). The redisclosure statement is the abbreviated one 42 CFR
// §2.32(a)(2) prescribes (as amended in 2024), kept word for word in English because the rule
// names it; the Spanish is Waypoint's translation, marked as such. The plain explanation under
// it and the patient notice (§2.22) are written for Waypoint from the rule, in plain English
// (about 6th grade) and Spanish ("usted").

/** The statement every disclosure made with consent carries (§2.32(a)(2)). */
export const REDISCLOSURE_STATEMENT = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

export const REDISCLOSURE_NOTICE = {
  en: {
    statement: REDISCLOSURE_STATEMENT,
    plain:
      'This information is protected by a federal law for addiction treatment records. You may not share it with anyone else or use it for anything else unless the person it is about agrees in writing.',
  },
  es: {
    statement: 'El título 42 del CFR, parte 2, prohíbe el uso o la divulgación no autorizados de estos registros. (Traducción de Waypoint; el texto legal es el inglés.)',
    plain:
      'Esta información está protegida por una ley federal para los registros de tratamiento de adicciones. Usted no puede compartirla con nadie más ni usarla para otra cosa, a menos que la persona de quien se trata lo acepte por escrito.',
  },
} as const;

/** The version of the patient notice (§2.22); a new version is acknowledged again. */
export const PATIENT_NOTICE_VERSION = '2026-02';

/** The patient notice of confidentiality (§2.22), given and acknowledged at intake. */
export const PATIENT_NOTICE = {
  en: {
    title: 'Your privacy in this program',
    paragraphs: [
      'A federal law (42 CFR part 2) protects your addiction treatment records. It is stricter than the usual rules for health records.',
      'We do not tell anyone outside this program that you come here, or share your records, unless you agree in writing. A few exceptions are allowed by law: a medical emergency, reporting suspected child abuse, a court order that follows the law, and audits or research that keep your name out.',
      'You can choose who gets your information, what they get and why. You can take back your consent at any time. It stops future sharing at once.',
      'You can ask us for a list of who we shared your records with in the last 3 years.',
      'If you think we broke this law, you can tell the program director, or report it to the U.S. Department of Health and Human Services. You will not lose care for reporting.',
      'Breaking this law is a federal crime. It is not a crime to report it.',
    ],
  },
  es: {
    title: 'Su privacidad en este programa',
    paragraphs: [
      'Una ley federal (título 42 del CFR, parte 2) protege sus registros de tratamiento de adicciones. Es más estricta que las reglas comunes para los registros de salud.',
      'No le decimos a nadie fuera de este programa que usted viene aquí, ni compartimos sus registros, a menos que usted lo acepte por escrito. La ley permite pocas excepciones: una emergencia médica, reportar una sospecha de abuso infantil, una orden judicial que cumpla con la ley, y auditorías o investigaciones que no usan su nombre.',
      'Usted puede elegir quién recibe su información, qué recibe y para qué. Puede retirar su consentimiento en cualquier momento. Eso detiene de inmediato cualquier uso futuro.',
      'Puede pedirnos una lista de a quién le dimos sus registros en los últimos 3 años.',
      'Si cree que no cumplimos con esta ley, puede decírselo al director del programa o reportarlo al Departamento de Salud y Servicios Humanos de los EE. UU. No perderá su atención por reportarlo.',
      'No cumplir con esta ley es un delito federal. Reportarlo no lo es.',
    ],
  },
} as const;
